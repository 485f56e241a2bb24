/* The signed-in user's own view: who they are and what their session allows. */
#include <string.h>

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
    PGresult *teams;
    if (!ctx_exec(ctx, SQL_TEAM_LIST_FOR_USER, 1, params, &teams))
        return;
    PGresult *matters, *communicator;
    if (!ctx_exec(ctx, SQL_CLIENT_MATTERS_OF_USER, 1, params, &matters) ||
        !ctx_exec(ctx, SQL_COMMUNICATOR_OF_USER, 1, params, &communicator))
        return;
    const char *step_up = ctx->req.who.step_up_until;
    /* communicator: whether the user opens the Communicator (an active mailbox, or a grant). */
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:O, s:O, s:b, s:s?}", "user", user, "teams",
                            ctx_json_from_db(ctx, PQgetvalue(teams, 0, 0)), "client_matters",
                            ctx_json_from_db(ctx, PQgetvalue(matters, 0, 0)), "communicator",
                            strcmp(PQgetvalue(communicator, 0, 0), "t") == 0,
                            "step_up_until", step_up));
}

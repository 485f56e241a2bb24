#include "fcgi/ctx.h"

#include "lib/log.h"

bool ctx_exec(struct ctx *ctx, enum sql_statement stmt, int n_params, const char *const *params,
              PGresult **out)
{
    enum db_status status = db_exec(ctx->app->db, ctx->req.arena, stmt, n_params, params, out);
    if (status == DB_OK)
        return true;
    problem_set_db(&ctx->resp, status);
    return false;
}

static void json_release(void *p)
{
    json_decref(p);
}

json_t *ctx_adopt_json(struct ctx *ctx, json_t *v)
{
    return arena_defer(ctx->req.arena, json_release, v);
}

json_t *ctx_json_from_db(struct ctx *ctx, const char *text)
{
    json_error_t error;
    json_t *v = json_loads(text, 0, &error);
    if (!v) {
        log_error("ctx: database returned bad JSON: %s", error.text);
        return NULL;
    }
    return ctx_adopt_json(ctx, v);
}

const char *ctx_body_string(const struct ctx *ctx, const char *field)
{
    return json_string_value(json_object_get(ctx->req.json, field));
}

/* Service endpoints: health and the published signing keys. */
#include "handlers/handlers.h"
#include "lib/published_keys.h"

void service_health(struct ctx *ctx)
{
    PGresult *r;
    if (!ctx_exec(ctx, SQL_HEALTH_PING, 0, NULL, &r))
        return;
    response_json(&ctx->resp, 200, json_pack("{s:s}", "status", "ok"));
}

void service_keys(struct ctx *ctx)
{
    response_json(&ctx->resp, 200, published_keys_json(&ctx->app->key));
}

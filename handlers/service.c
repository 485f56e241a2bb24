/* Service endpoints: health and the published signing keys. */
#include "handlers/handlers.h"

void service_health(struct ctx *ctx)
{
    PGresult *r;
    if (!ctx_exec(ctx, SQL_HEALTH_PING, 0, NULL, &r))
        return;
    response_json(&ctx->resp, 200, json_pack("{s:s}", "status", "ok"));
}

void service_keys(struct ctx *ctx)
{
    char public_key[sodium_base64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES,
                                              sodium_base64_VARIANT_ORIGINAL)];
    crypto_base64(ctx->app->key.public_key, sizeof(ctx->app->key.public_key), public_key,
                  sizeof(public_key));
    response_json(&ctx->resp, 200,
                  json_pack("{s:[{s:s, s:s, s:s}]}", "keys", "id", ctx->app->key.id, "alg",
                            "Ed25519", "public_key", public_key));
}

/* Carrier callbacks: signed per Standard Webhooks v1, checked before anything else is read,
 * de-duplicated by webhook id, stored with a job that applies them (pli-jobs). */
#include <string.h>
#include <time.h>

#include "handlers/handlers.h"
#include "lib/rfc3339.h"
#include "lib/webhook_signature.h"

static const char *const event_types[] = {"deposited", "delivered", "returned", NULL};

static const struct json_field event_fields[] = {
    {"type", JSON_FIELD_STRING, true, 1, 32, JSON_FORMAT_NONE, event_types},
    {"delivery_id", JSON_FIELD_STRING, true, 36, 36, JSON_FORMAT_UUID, NULL},
    {"occurred_at", JSON_FIELD_STRING, true, 20, 40, JSON_FORMAT_DATETIME, NULL},
    {"carrier_reference", JSON_FIELD_STRING, false, 1, 200, JSON_FORMAT_NONE, NULL},
    {"proof", JSON_FIELD_OBJECT, false, 0, 0, JSON_FORMAT_NONE, NULL},
};

static const struct json_field proof_fields[] = {
    {"type", JSON_FIELD_STRING, true, 1, 64, JSON_FORMAT_NONE, NULL},
    {"sha256", JSON_FIELD_STRING, true, 64, 64, JSON_FORMAT_SHA256, NULL},
    {"url", JSON_FIELD_STRING, false, 9, 2048, JSON_FORMAT_NONE, NULL},
    {"content_base64", JSON_FIELD_STRING, false, 1, 0x7fffffffL, JSON_FORMAT_NONE, NULL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The signature check; fills the problem and returns false when it fails. */
static bool authentic(struct ctx *ctx)
{
    struct webhook_secret secret;
    const char *configured = ctx->app->cfg.carrier_webhook_secret;
    if (strcmp(ctx->req.path_params[0], ctx->app->cfg.carrier_name) != 0 || !configured ||
        !webhook_secret_parse(configured, &secret)) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No callbacks are configured for this carrier");
        return false;
    }
    enum webhook_check check = webhook_verify(
        &secret, request_param(&ctx->req, "HTTP_WEBHOOK_ID"),
        request_param(&ctx->req, "HTTP_WEBHOOK_TIMESTAMP"), ctx->req.body, ctx->req.body_len,
        request_param(&ctx->req, "HTTP_WEBHOOK_SIGNATURE"), time(NULL));
    sodium_memzero(&secret, sizeof(secret));
    if (check == WEBHOOK_OK)
        return true;
    if (check == WEBHOOK_STALE)
        problem_set(&ctx->resp, PROBLEM_WEBHOOK_TIMESTAMP_STALE,
                    "webhook-timestamp must be within 5 minutes of now");
    else if (check == WEBHOOK_MALFORMED)
        problem_set(&ctx->resp, PROBLEM_WEBHOOK_SIGNATURE_INVALID,
                    "webhook-id, webhook-timestamp and webhook-signature are required");
    else
        problem_set(&ctx->resp, PROBLEM_WEBHOOK_SIGNATURE_INVALID, NULL);
    return false;
}

/* The carrier's proof: one of url (https) and content_base64, the latter matching sha256. */
static bool proof_valid(struct ctx *ctx, const json_t *proof)
{
    struct json_problems problems;
    if (!json_spec_check(proof, proof_fields, N(proof_fields), &problems)) {
        for (size_t i = 0; i < problems.count; i++) /* name them from the body's top */
            problems.items[i].field = arena_printf(ctx->req.arena, "proof.%s",
                                                   problems.items[i].field);
        problem_set_fields(&ctx->resp, &problems);
        return false;
    }
    const char *url = json_string_value(json_object_get(proof, "url"));
    const char *b64 = json_string_value(json_object_get(proof, "content_base64"));
    if (!url == !b64) {
        ctx_field_problem(ctx, "proof", "one_of_required",
                          "give exactly one of url and content_base64");
        return false;
    }
    if (url) {
        if (strncmp(url, "https://", 8) != 0) {
            ctx_field_problem(ctx, "proof.url", "invalid_format", "must be an https:// address");
            return false;
        }
        return true;
    }
    size_t cap = strlen(b64), len = 0;
    unsigned char *data = arena_alloc(ctx->req.arena, cap + 1);
    if (!data || !crypto_base64_decode(b64, cap, data, cap + 1, &len)) {
        ctx_field_problem(ctx, "proof.content_base64", "invalid_format", "is not base64");
        return false;
    }
    char actual[65];
    crypto_sha256_hex(data, len, actual);
    if (strcmp(actual, json_string_value(json_object_get(proof, "sha256"))) != 0) {
        problem_set(&ctx->resp, PROBLEM_CARRIER_PROOF_MISMATCH, NULL);
        return false;
    }
    return true;
}

/* An event time that can be recorded (see rfc3339_storable) and is not later than the
 * signature's own tolerance from now. */
static bool occurred_at_valid(struct ctx *ctx, const char *text)
{
    struct rfc3339 t;
    if (!rfc3339_storable(text) || !rfc3339_parse(text, &t)) {
        ctx_field_problem(ctx, "occurred_at", "invalid_format",
                          "must be from year 1 on, with an offset of at most 15:59");
        return false;
    }
    rfc3339_to_utc(&t);
    struct tm tm = {.tm_year = t.year - 1900, .tm_mon = t.month - 1, .tm_mday = t.day,
                    .tm_hour = t.hour, .tm_min = t.minute, .tm_sec = t.second};
    if (timegm(&tm) > time(NULL) + WEBHOOK_TOLERANCE_SECONDS) {
        ctx_field_problem(ctx, "occurred_at", "in_the_future", "must not be in the future");
        return false;
    }
    return true;
}

/* Parses and checks the event; NULL after filling the problem. */
static json_t *event_body(struct ctx *ctx)
{
    json_error_t error;
    json_t *body = json_loadb(ctx->req.body, ctx->req.body_len, JSON_REJECT_DUPLICATES, &error);
    if (!body || !json_is_object(body)) {
        json_decref(body);
        problem_set(&ctx->resp, PROBLEM_MALFORMED_JSON, "The body must be a JSON object");
        return NULL;
    }
    ctx_adopt_json(ctx, body);
    struct json_problems problems;
    if (!json_spec_check(body, event_fields, N(event_fields), &problems)) {
        problem_set_fields(&ctx->resp, &problems);
        return NULL;
    }
    if (!occurred_at_valid(ctx, json_string_value(json_object_get(body, "occurred_at"))))
        return NULL;
    const json_t *proof = json_object_get(body, "proof");
    if (json_is_object(proof) && !proof_valid(ctx, proof)) /* null: no proof */
        return NULL;
    return body;
}

void webhooks_carrier(struct ctx *ctx)
{
    if (!authentic(ctx))
        return;
    json_t *body = event_body(ctx);
    if (!body)
        return;
    const char *text = arena_strndup(ctx->req.arena, ctx->req.body, ctx->req.body_len);
    const char *params[] = {ctx->req.path_params[0],
                            request_param(&ctx->req, "HTTP_WEBHOOK_ID"),
                            json_string_value(json_object_get(body, "delivery_id")), text};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_CARRIER_WEBHOOK_RECEIVE, 4, params, &r))
        return;
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        problem_set(&ctx->resp, PROBLEM_UNKNOWN_DELIVERY, NULL);
        return;
    }
    bool fresh = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    response_json(&ctx->resp, 200, json_pack("{s:s}", "status", fresh ? "accepted" : "duplicate"));
}

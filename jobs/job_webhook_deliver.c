#include "jobs/job_webhook_deliver.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/http_client.h"
#include "lib/log.h"
#include "lib/webhook_signature.h"

#define WEBHOOK_USER_AGENT "User-Agent: pli-webhooks/1"
/* The longest answer an endpoint may give (only its status matters): a longer one is a failed
 * attempt. */
#define WEBHOOK_ANSWER_MAX (64 * 1024)
#define HEADER_MAX 128

/* Columns of SQL_WEBHOOK_MESSAGE_CONTEXT. */
enum { CTX_STATUS, CTX_URL, CTX_SECRET, CTX_BODY, CTX_USABLE, CTX_ATTEMPTS };

/* What an attempt leads to, as SQL_WEBHOOK_ATTEMPT_RECORD names it. */
static const char *outcome_of(const struct job_env *env, bool answered, long status, int attempt)
{
    if (answered && status >= 200 && status < 300)
        return "delivered";
    if (answered && status == 410)
        return "gone";
    return attempt > env->cfg->webhook_retry_count ? "failed" : "retry";
}

/* Posts the message once; fills answer and returns whether an HTTP answer came. */
static bool post(const struct job_env *env, const PGresult *ctx, const char *id,
                 const struct webhook_secret *secret, struct http_answer *answer)
{
    const char *body = PQgetvalue(ctx, 0, CTX_BODY);
    size_t body_len = strlen(body);
    char timestamp[24], signature[WEBHOOK_SIGNATURE_MAX];
    snprintf(timestamp, sizeof(timestamp), "%lld", (long long)time(NULL));
    webhook_sign(secret, id, timestamp, body, body_len, signature);
    char h_id[HEADER_MAX], h_timestamp[HEADER_MAX], h_signature[HEADER_MAX];
    snprintf(h_id, sizeof(h_id), "webhook-id: %s", id);
    snprintf(h_timestamp, sizeof(h_timestamp), "webhook-timestamp: %s", timestamp);
    snprintf(h_signature, sizeof(h_signature), "webhook-signature: %s", signature);
    const char *const headers[] = {h_id, h_timestamp, h_signature, WEBHOOK_USER_AGENT, NULL};
    struct http_call call = {
        .method = "POST",
        .url = PQgetvalue(ctx, 0, CTX_URL),
        .ca_file = env->cfg->webhook_ca_file,
        .body = body,
        .body_len = body_len,
        .headers = headers,
        .timeout_seconds = env->cfg->webhook_timeout_seconds,
        .response_max = WEBHOOK_ANSWER_MAX,
        .public_only = true,
        .allow_loopback = env->cfg->webhook_allow_loopback,
    };
    return http_call(&call, answer);
}

/* Logs the attempt and what follows from it; false when the database did not take it. */
static bool record(struct db *db, const char *id, const struct http_answer *answer,
                   bool answered, const char *outcome)
{
    char status[16], duration[24];
    snprintf(status, sizeof(status), "%ld", answer->status);
    snprintf(duration, sizeof(duration), "%ld", answer->duration_ms > 0 ? answer->duration_ms : 0);
    const char *error = !answered ? answer->error
                        : answer->status >= 300 && answer->status < 400
                            ? "redirects are not followed"
                            : NULL;
    const char *params[] = {id, answered ? status : NULL, error, duration, outcome};
    PGresult *r;
    if (db_exec(db, NULL, SQL_WEBHOOK_ATTEMPT_RECORD, 5, params, &r) != DB_OK)
        return false;
    PQclear(r);
    return true;
}

/* Opens the endpoint's secret; false when it was not sealed with this master key. */
static bool open_secret(const struct job_env *env, const char *sealed,
                        struct webhook_secret *secret)
{
    char text[CRYPTO_SECRET_MAX + 1];
    bool ok = crypto_secret_open(env->master_key, sealed, text) &&
              webhook_secret_parse(text, secret);
    sodium_memzero(text, sizeof(text));
    return ok;
}

enum job_result job_webhook_deliver(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "message_id"));
    if (!id) {
        snprintf(job->error, sizeof(job->error), "payload lacks message_id");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *ctx;
    if (db_exec(db, NULL, SQL_WEBHOOK_MESSAGE_CONTEXT, 1, params, &ctx) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    if (PQntuples(ctx) == 0 || strcmp(PQgetvalue(ctx, 0, CTX_STATUS), "pending") != 0) {
        PQclear(ctx); /* delivered, failed or cancelled already */
        return JOB_DONE;
    }
    enum job_result result = JOB_DONE;
    PGresult *r;
    struct webhook_secret secret;
    if (strcmp(PQgetvalue(ctx, 0, CTX_USABLE), "t") != 0) {
        /* Deleted or disabled while the message was being emitted. */
        if (db_exec(db, NULL, SQL_WEBHOOK_MESSAGE_CANCEL, 1, params, &r) == DB_OK) {
            PQclear(r);
        } else {
            snprintf(job->error, sizeof(job->error), "database unavailable");
            result = JOB_RETRY;
        }
    } else if (!open_secret(env, PQgetvalue(ctx, 0, CTX_SECRET), &secret)) {
        snprintf(job->error, sizeof(job->error),
                 "the endpoint's secret was not sealed with this master key");
        result = JOB_FAILED;
    } else {
        int attempt = (int)strtol(PQgetvalue(ctx, 0, CTX_ATTEMPTS), NULL, 10) + 1;
        struct http_answer answer;
        bool answered = post(env, ctx, id, &secret, &answer);
        sodium_memzero(&secret, sizeof(secret));
        const char *outcome = outcome_of(env, answered, answer.status, attempt);
        if (!record(db, id, &answer, answered, outcome)) {
            snprintf(job->error, sizeof(job->error), "could not log the attempt");
            result = JOB_RETRY;
        } else if (strcmp(outcome, "retry") == 0) {
            job->retry_after_seconds = env->cfg->webhook_retry_delays[attempt - 1];
            if (answered)
                snprintf(job->error, sizeof(job->error), "attempt %d: HTTP %ld", attempt,
                         answer.status);
            else
                snprintf(job->error, sizeof(job->error), "attempt %d: %.200s", attempt,
                         answer.error);
            result = JOB_RETRY;
        } else if (strcmp(outcome, "delivered") != 0) {
            log_warn("webhook message %s %s after %d attempt(s)", id,
                     strcmp(outcome, "gone") == 0 ? "failed: its endpoint is gone (410)"
                                                  : "failed",
                     attempt);
        }
        http_answer_free(&answer);
    }
    PQclear(ctx);
    return result;
}

#include "jobs/job_carrier_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/blob_store.h"
#include "jobs/job_transition.h"
#include "lib/http_client.h"

static bool event_target(const char *type, enum delivery_status *target)
{
    if (!type)
        return false;
    if (strcmp(type, "deposited") == 0)
        *target = DELIVERY_DEPOSITED;
    else if (strcmp(type, "delivered") == 0)
        *target = DELIVERY_DELIVERED;
    else if (strcmp(type, "returned") == 0)
        *target = DELIVERY_RETURNED;
    else
        return false;
    return true;
}

/* Keeps the carrier's proof document; JOB_DONE when there is none or it is stored. */
static enum job_result keep_carrier_proof(struct db *db, const struct job_env *env,
                                          struct job *job, const json_t *proof)
{
    const char *sha256 = json_string_value(json_object_get(proof, "sha256"));
    const char *inline_b64 = json_string_value(json_object_get(proof, "content_base64"));
    const char *url = json_string_value(json_object_get(proof, "url"));
    if (!sha256)
        return JOB_DONE;
    unsigned char *data = NULL;
    size_t len = 0;
    struct http_answer answer = {0};
    if (inline_b64) {
        size_t cap = strlen(inline_b64);
        data = malloc(cap + 1);
        if (!data || !crypto_base64_decode(inline_b64, cap, data, cap + 1, &len)) {
            free(data);
            snprintf(job->error, sizeof(job->error), "carrier proof is not base64");
            return JOB_FAILED;
        }
    } else if (url) {
        struct http_call call = {.method = "GET",
                                 .url = url,
                                 .bearer = env->cfg->carrier_api_key,
                                 .ca_file = env->cfg->carrier_ca_file};
        if (!http_call(&call, &answer) || answer.status != 200) {
            snprintf(job->error, sizeof(job->error), "carrier proof fetch failed: %.180s (HTTP %ld)",
                     answer.error, answer.status);
            http_answer_free(&answer);
            return JOB_RETRY;
        }
        data = (unsigned char *)answer.body;
        len = answer.body_len;
        answer.body = NULL;
    } else {
        return JOB_DONE;
    }
    char actual[65];
    crypto_sha256_hex(data, len, actual);
    enum job_result result = JOB_DONE;
    if (strcmp(actual, sha256) != 0) {
        snprintf(job->error, sizeof(job->error), "carrier proof does not match its SHA-256");
        result = JOB_FAILED;
    } else if (blob_store_put(db, data, len, actual) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        result = JOB_RETRY;
    }
    free(data);
    return result;
}

enum job_result job_carrier_event(struct db *db, const struct job_env *env, struct job *job)
{
    const char *carrier = json_string_value(json_object_get(job->payload, "carrier"));
    const char *webhook_id = json_string_value(json_object_get(job->payload, "webhook_id"));
    if (!carrier || !webhook_id) {
        snprintf(job->error, sizeof(job->error), "payload lacks carrier or webhook_id");
        return JOB_FAILED;
    }
    const char *params[] = {carrier, webhook_id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_CARRIER_WEBHOOK_GET, 2, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    if (PQntuples(r) != 1) {
        PQclear(r);
        return JOB_DONE;
    }
    json_t *body = json_loads(PQgetvalue(r, 0, 1), 0, NULL);
    enum delivery_status target;
    if (!body || !event_target(json_string_value(json_object_get(body, "type")), &target)) {
        json_decref(body);
        PQclear(r);
        snprintf(job->error, sizeof(job->error), "stored callback is unreadable");
        return JOB_FAILED;
    }
    const json_t *proof = json_object_get(body, "proof");
    enum job_result result = keep_carrier_proof(db, env, job, proof);
    if (result == JOB_DONE) {
        json_t *details = json_pack("{s:s, s:s}", "carrier", carrier, "carrier_event_id",
                                    webhook_id);
        const char *reference = json_string_value(json_object_get(body, "carrier_reference"));
        if (reference)
            json_object_set_new(details, "carrier_reference", json_string(reference));
        const char *proof_sha = json_string_value(json_object_get(proof, "sha256"));
        if (proof_sha)
            json_object_set_new(details, "carrier_proof_sha256", json_string(proof_sha));
        struct job_transition t = {
            .event = {PQgetvalue(r, 0, 0), target, "carrier",
                      json_string_value(json_object_get(body, "occurred_at")), details},
            .follow_up = SQL__MAX};
        result = job_transition_run(db, env, job, &t);
        json_decref(details);
    }
    json_decref(body);
    PQclear(r);
    return result;
}

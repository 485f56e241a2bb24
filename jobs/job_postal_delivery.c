#include "jobs/job_postal_delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/job_transition.h"
#include "lib/http_client.h"
#include "lib/letter_pdf.h"
#include "lib/rfc3339.h"

/* Columns of SQL_DELIVERY_POSTAL_CONTEXT. */
enum { CTX_STATUS, CTX_NAME, CTX_COMPANY, CTX_LINE1, CTX_LINE2, CTX_POSTAL_CODE, CTX_CITY,
       CTX_COUNTRY, CTX_SUBJECT, CTX_BODY, CTX_TEAM, CTX_SENDER, CTX_VALIDATED };

static json_t *nullable(const PGresult *r, int column)
{
    return PQgetisnull(r, 0, column) ? json_null() : json_string(PQgetvalue(r, 0, column));
}

/* The letter's own text as a PDF, then its attachments. */
static json_t *documents(struct db *db, const char *id, const PGresult *ctx)
{
    json_t *docs = json_array();
    unsigned char *pdf = NULL;
    size_t pdf_len = 0;
    if (!letter_pdf_render(PQgetvalue(ctx, 0, CTX_SUBJECT), PQgetvalue(ctx, 0, CTX_BODY),
                           PQgetvalue(ctx, 0, CTX_SENDER), PQgetvalue(ctx, 0, CTX_TEAM),
                           PQgetvalue(ctx, 0, CTX_VALIDATED), &pdf, &pdf_len)) {
        json_decref(docs);
        return NULL;
    }
    size_t b64_size = sodium_base64_ENCODED_LEN(pdf_len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64_size);
    if (b64)
        crypto_base64(pdf, pdf_len, b64, b64_size);
    free(pdf);
    if (!b64) {
        json_decref(docs);
        return NULL;
    }
    json_array_append_new(docs, json_pack("{s:s, s:s}", "filename", "lettre.pdf",
                                          "content_base64", b64));
    free(b64);
    const char *params[] = {id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_DELIVERY_POSTAL_DOCUMENTS, 1, params, &r) != DB_OK) {
        json_decref(docs);
        return NULL;
    }
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(docs, json_pack("{s:s, s:s}", "filename", PQgetvalue(r, i, 0),
                                              "content_base64", PQgetvalue(r, i, 1)));
    PQclear(r);
    return docs;
}

static char *request_body(struct db *db, const char *id, const PGresult *ctx, size_t *len)
{
    json_t *docs = documents(db, id, ctx);
    if (!docs)
        return NULL;
    json_t *body = json_pack(
        "{s:s, s:{s:s, s:o, s:s, s:o, s:s, s:s, s:s}, s:o}", "reference", id, "recipient",
        "name", PQgetvalue(ctx, 0, CTX_NAME), "company", nullable(ctx, CTX_COMPANY), "line1",
        PQgetvalue(ctx, 0, CTX_LINE1), "line2", nullable(ctx, CTX_LINE2), "postal_code",
        PQgetvalue(ctx, 0, CTX_POSTAL_CODE), "city", PQgetvalue(ctx, 0, CTX_CITY), "country",
        PQgetvalue(ctx, 0, CTX_COUNTRY), "documents", docs);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text)
        *len = strlen(text);
    return text;
}

/* A carrier answer that will not change by asking again: the letter itself is refused. */
static bool refused_for_good(long status)
{
    return status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 &&
           status != 429;
}

static enum job_result record(struct db *db, const struct job_env *env, struct job *job,
                              const char *id, const struct http_answer *answer)
{
    struct job_transition t = {.follow_up = SQL__MAX};
    t.event.delivery_id = id;
    t.event.source = "dispatch";
    json_t *details = NULL;
    json_t *reply = answer->status >= 200 && answer->status < 300
                        ? json_loadb(answer->body ? answer->body : "", answer->body_len, 0, NULL)
                        : NULL;
    const char *reference = json_string_value(json_object_get(reply, "id"));
    const char *carrier = env->cfg->carrier_name;
    if (answer->status >= 200 && answer->status < 300 && !reference) {
        json_decref(reply);
        snprintf(job->error, sizeof(job->error), "the carrier's answer names no letter id");
        return JOB_RETRY;
    }
    if (reference) {
        details = json_pack("{s:s, s:s, s:s}", "channel", "postal", "carrier", carrier,
                            "carrier_reference", reference);
        t.event.target = DELIVERY_DEPOSITED;
        const char *accepted = json_string_value(json_object_get(reply, "accepted_at"));
        t.event.occurred_at = rfc3339_storable(accepted) ? accepted : NULL;
        t.follow_up = SQL_DELIVERY_SET_CARRIER;
        t.follow_up_always = true; /* the carrier holds the letter even if a callback won */
        t.n_params = 3;
        t.params[0] = id;
        t.params[1] = carrier;
        t.params[2] = reference;
    } else {
        char reason[256];
        snprintf(reason, sizeof(reason), "the carrier refused the letter (HTTP %ld)",
                 answer->status);
        details = json_pack("{s:s, s:s}", "carrier", carrier, "reason", reason);
        t.event.target = DELIVERY_FAILED;
    }
    t.event.details = details;
    enum job_result result = job_transition_run(db, env, job, &t);
    json_decref(details);
    json_decref(reply);
    return result;
}

enum job_result job_deliver_postal(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "delivery_id"));
    if (!id) {
        snprintf(job->error, sizeof(job->error), "payload lacks delivery_id");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *ctx;
    if (db_exec(db, NULL, SQL_DELIVERY_POSTAL_CONTEXT, 1, params, &ctx) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    if (PQntuples(ctx) != 1 || strcmp(PQgetvalue(ctx, 0, CTX_STATUS), "pending") != 0) {
        PQclear(ctx);
        return JOB_DONE; /* gone or already handed over */
    }
    size_t len = 0;
    char *body = request_body(db, id, ctx, &len);
    PQclear(ctx);
    if (!body) {
        snprintf(job->error, sizeof(job->error), "could not build the carrier request");
        return JOB_RETRY;
    }
    char url[512];
    snprintf(url, sizeof(url), "%s/letters", env->cfg->carrier_url);
    struct http_call call = {.method = "POST",
                             .url = url,
                             .bearer = env->cfg->carrier_api_key,
                             .idempotency_key = id,
                             .ca_file = env->cfg->carrier_ca_file,
                             .body = body,
                             .body_len = len};
    struct http_answer answer;
    bool answered = http_call(&call, &answer);
    free(body);
    enum job_result result;
    if (answered && ((answer.status >= 200 && answer.status < 300) ||
                     refused_for_good(answer.status))) {
        result = record(db, env, job, id, &answer);
    } else {
        if (answered)
            snprintf(job->error, sizeof(job->error), "carrier answered HTTP %ld", answer.status);
        else
            snprintf(job->error, sizeof(job->error), "carrier unreachable: %.200s", answer.error);
        struct http_answer none = {.status = answered ? answer.status : 0};
        result = job_last_attempt(job) ? record(db, env, job, id, &none) : JOB_RETRY;
    }
    http_answer_free(&answer);
    return result;
}

#include "jobs/job_proof_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/blob_store.h"
#include "lib/proof_pdf.h"

/* Columns of SQL_PROOF_PDF_SOURCE. */
enum { SRC_PAYLOAD, SRC_SIGNATURE, SRC_SHA256 };

/* Renders the proof of row r; *pdf is malloc'ed. False when the proof cannot be rendered. */
static bool render(const PGresult *r, unsigned char **pdf, size_t *len)
{
    const char *b64 = PQgetvalue(r, 0, SRC_PAYLOAD);
    size_t cap = strlen(b64), payload_len = 0;
    unsigned char *payload = malloc(cap + 1);
    bool ok = payload && crypto_base64_decode(b64, cap, payload, cap + 1, &payload_len) &&
              proof_pdf_render((const char *)payload, payload_len,
                               PQgetvalue(r, 0, SRC_SIGNATURE), PQgetvalue(r, 0, SRC_SHA256),
                               pdf, len);
    free(payload);
    return ok;
}

enum job_result job_proof_pdf(struct db *db, const struct job_env *env, struct job *job)
{
    (void)env;
    const char *id = json_string_value(json_object_get(job->payload, "proof_id"));
    if (!id) {
        snprintf(job->error, sizeof(job->error), "payload lacks proof_id");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_PROOF_PDF_SOURCE, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    if (PQntuples(r) != 1) { /* made already, or no such proof */
        PQclear(r);
        return JOB_DONE;
    }
    unsigned char *pdf = NULL;
    size_t len = 0;
    bool rendered = render(r, &pdf, &len);
    PQclear(r);
    if (!rendered) {
        snprintf(job->error, sizeof(job->error), "proof %s could not be rendered", id);
        return JOB_FAILED;
    }
    char sha256[65];
    enum db_status st = blob_store_put(db, pdf, len, sha256);
    free(pdf);
    const char *keep[] = {id, sha256};
    if (st == DB_OK && (st = db_exec(db, NULL, SQL_PROOF_PDF_KEEP, 2, keep, &r)) == DB_OK)
        PQclear(r);
    if (st == DB_OK)
        return JOB_DONE;
    snprintf(job->error, sizeof(job->error), "database unavailable");
    return JOB_RETRY;
}

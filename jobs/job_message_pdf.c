#include "jobs/job_message_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/blob_store.h"
#include "lib/message_pdf.h"

/* Columns of SQL_MESSAGE_PDF_CONTEXT. */
enum { CTX_SUBJECT, CTX_FROM, CTX_TO, CTX_CC, CTX_SENT, CTX_RECEIVED, CTX_FOLDER, CTX_TEXT,
       CTX_FROM_HTML, CTX_ATTACHMENTS, CTX_DONE };

static const char *value(const PGresult *r, int column)
{
    return PQgetisnull(r, 0, column) ? NULL : PQgetvalue(r, 0, column);
}

enum job_result job_message_pdf(struct db *db, const struct job_env *env, struct job *job)
{
    (void)env;
    const char *id = json_string_value(json_object_get(job->payload, "message_id"));
    if (!id) {
        snprintf(job->error, sizeof(job->error), "payload lacks message_id");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_MESSAGE_PDF_CONTEXT, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    if (PQntuples(r) == 0 || strcmp(PQgetvalue(r, 0, CTX_DONE), "t") == 0) {
        PQclear(r);
        return JOB_DONE;
    }
    json_t *attachments = json_loads(PQgetvalue(r, 0, CTX_ATTACHMENTS), 0, NULL);
    size_t n = json_array_size(attachments);
    const char **lines = calloc(n + 1, sizeof(*lines));
    for (size_t i = 0; lines && i < n; i++)
        lines[i] = json_string_value(json_array_get(attachments, i));
    struct message_pdf_input in = {
        .subject = value(r, CTX_SUBJECT),
        .from = value(r, CTX_FROM),
        .to = value(r, CTX_TO),
        .cc = value(r, CTX_CC),
        .sent_at = value(r, CTX_SENT),
        .received_at = PQgetvalue(r, 0, CTX_RECEIVED),
        .folder = PQgetvalue(r, 0, CTX_FOLDER),
        .text = PQgetvalue(r, 0, CTX_TEXT),
        .text_from_html = strcmp(PQgetvalue(r, 0, CTX_FROM_HTML), "t") == 0,
        .attachments = lines,
        .n_attachments = lines ? n : 0,
    };
    unsigned char *pdf = NULL;
    size_t len = 0;
    bool rendered = lines && message_pdf_render(&in, &pdf, &len);
    free(lines);
    json_decref(attachments);
    PQclear(r);
    if (!rendered) {
        snprintf(job->error, sizeof(job->error), "the message could not be rendered to PDF");
        return JOB_FAILED;
    }
    char sha256[65];
    enum db_status st = blob_store_put(db, pdf, len, sha256);
    free(pdf);
    const char *set[] = {id, sha256};
    PGresult *done;
    if (st == DB_OK && (st = db_exec(db, NULL, SQL_MESSAGE_PDF_SET, 2, set, &done)) == DB_OK)
        PQclear(done);
    if (st != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    return JOB_DONE;
}

#include "jobs/job_notification_email.h"

#include <stdio.h>
#include <string.h>

#include "jobs/job_mail.h"

#define NOTIFICATION_TEXT_MAX 24576

enum { CTX_RECIPIENT, CTX_SUBJECT, CTX_BODY, CTX_OFFICE, CTX_TEAM };

enum job_result job_notification_email(struct db *db, const struct job_env *env,
                                       struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "notification_id"));
    json_int_t index = json_integer_value(json_object_get(job->payload, "index"));
    if (!id || index < 1) {
        snprintf(job->error, sizeof(job->error), "payload lacks notification_id or index");
        return JOB_FAILED;
    }
    char index_text[24];
    snprintf(index_text, sizeof(index_text), "%lld", (long long)index);
    const char *params[] = {id, index_text};
    PGresult *r;
    if (db_exec(db, NULL, SQL_NOTIFICATION_EMAIL_CONTEXT, 2, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    if (PQntuples(r) != 1) {
        PQclear(r);
        snprintf(job->error, sizeof(job->error), "no recipient %s in notification %s",
                 index_text, id);
        return JOB_FAILED;
    }
    static char text[NOTIFICATION_TEXT_MAX];
    snprintf(text, sizeof(text), "%s\n\n--\nE-mail automatique de %s.\n",
             PQgetvalue(r, 0, CTX_BODY), PQgetvalue(r, 0, CTX_OFFICE));
    char subject[512];
    snprintf(subject, sizeof(subject), "[%s] %s", PQgetvalue(r, 0, CTX_OFFICE),
             PQgetvalue(r, 0, CTX_SUBJECT));
    struct job_mail mail = {
        .to = PQgetvalue(r, 0, CTX_RECIPIENT),
        .subject = subject,
        .purpose = "notification",
        .id = id,
        .version = (int)index,
        .text = text,
        .team_id = PQgetvalue(r, 0, CTX_TEAM),
    };
    enum mail_result sent = job_mail_send(db, env, &mail, job->error, sizeof(job->error));
    PQclear(r);
    if (sent == MAIL_SENT)
        return JOB_DONE;
    return sent == MAIL_REJECTED ? JOB_FAILED : JOB_RETRY;
}

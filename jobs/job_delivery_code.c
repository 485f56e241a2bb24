#include "jobs/job_delivery_code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/job_mail.h"

#define CODE_TEXT_MAX 2048

enum job_result job_delivery_code(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "delivery_id"));
    int version = (int)json_integer_value(json_object_get(job->payload, "version"));
    if (!id || version < 1) {
        snprintf(job->error, sizeof(job->error), "payload lacks delivery_id or version");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_DELIVERY_CODE_CONTEXT, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    bool current = PQntuples(r) == 1 &&
                   strtol(PQgetvalue(r, 0, 1), NULL, 10) == version &&
                   strcmp(PQgetvalue(r, 0, 2), "t") == 0;
    if (!current) {
        PQclear(r);
        return JOB_DONE;
    }
    char code[CRYPTO_CODE_DIGITS + 1];
    crypto_link_code(env->master_key, "delivery-code", id, version, code);
    long minutes = env->cfg->delivery_code_seconds / 60;
    static char text[CODE_TEXT_MAX], html[CODE_TEXT_MAX];
    snprintf(text, sizeof(text),
             "Bonjour,\n\nVotre code de confirmation est : %s\n\n"
             "Il vous permet de confirmer votre identité pour accepter ou refuser la lettre "
             "recommandée électronique qui vous est adressée. Il est valable %ld minutes.\n"
             "Si vous n'avez pas demandé ce code, ignorez ce message.\n",
             code, minutes);
    snprintf(html, sizeof(html),
             "<!DOCTYPE html><html lang=\"fr\"><body><p>Bonjour,</p>"
             "<p>Votre code de confirmation est : <strong>%s</strong></p>"
             "<p>Il vous permet de confirmer votre identité pour accepter ou refuser la lettre "
             "recommandée électronique qui vous est adressée. Il est valable %ld minutes.</p>"
             "<p>Si vous n'avez pas demandé ce code, ignorez ce message.</p></body></html>",
             code, minutes);
    enum mail_result sent =
        job_mail_send(db, env,
                      &(struct job_mail){.to = PQgetvalue(r, 0, 0),
                                         .subject = "Votre code de confirmation",
                                         .purpose = "delivery-code", .id = id,
                                         .version = version, .text = text, .html = html},
                      job->error, sizeof(job->error));
    sodium_memzero(code, sizeof(code));
    sodium_memzero(text, sizeof(text));
    sodium_memzero(html, sizeof(html));
    PQclear(r);
    if (sent == MAIL_SENT)
        return JOB_DONE;
    return sent == MAIL_REJECTED ? JOB_FAILED : JOB_RETRY;
}

#include "jobs/job_invoices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/invoice_close.h"
#include "jobs/job_mail.h"
#include "lib/labels_fr.h"

#define INVOICE_TEXT_MAX 2048

/* Columns of SQL_INVOICE_EMAIL_CONTEXT. */
enum {
    CTX_NUMBER,
    CTX_MONTH,
    CTX_TEAM,
    CTX_TOTAL,
    CTX_BILLING,
    CTX_ACCOUNTING,
    CTX_PDF,
    CTX_TEAM_ID
};

enum job_result job_close_invoices(struct db *db, const struct job_env *env, struct job *job)
{
    PGresult *r;
    if (db_exec(db, NULL, SQL_INVOICE_PREVIOUS_MONTH, 0, NULL, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    char month[16];
    snprintf(month, sizeof(month), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    struct invoice_close_result result;
    enum db_status st = invoice_close_month(db, env->cfg, month, &result);
    if (st != DB_OK) {
        snprintf(job->error, sizeof(job->error), "closing %s failed (%s)", month,
                 db_last_sqlstate(db));
        return JOB_RETRY;
    }
    return JOB_DONE;
}

static void render(const PGresult *r, char *subject, char *text, char *html)
{
    char period[64];
    if (!labels_fr_month(PQgetvalue(r, 0, CTX_MONTH), period, sizeof(period)))
        snprintf(period, sizeof(period), "%s", PQgetvalue(r, 0, CTX_MONTH));
    long cents = strtol(PQgetvalue(r, 0, CTX_TOTAL), NULL, 10);
    const char *number = PQgetvalue(r, 0, CTX_NUMBER);
    const char *team = PQgetvalue(r, 0, CTX_TEAM);
    char team_html[768];
    mail_html_escape(team, team_html, sizeof(team_html));
    snprintf(subject, INVOICE_TEXT_MAX, "Facture %s — %s (%s)", number, period, team);
    snprintf(text, INVOICE_TEXT_MAX,
             "Bonjour,\n\nVous trouverez ci-joint la facture %s de l'équipe « %s » pour les "
             "envois de %s, d'un montant de %ld,%02ld € TTC, prélevé sur le moyen de paiement "
             "de l'équipe.\n",
             number, team, period, cents / 100, cents % 100);
    snprintf(html, INVOICE_TEXT_MAX,
             "<!DOCTYPE html><html lang=\"fr\"><body><p>Bonjour,</p><p>Vous trouverez ci-joint "
             "la facture <strong>%s</strong> de l'équipe « %s » pour les envois de %s, d'un "
             "montant de %ld,%02ld € TTC, prélevé sur le moyen de paiement de l'équipe.</p>"
             "</body></html>",
             number, team_html, period, cents / 100, cents % 100);
}

enum job_result job_invoice_email(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "invoice_id"));
    const char *to = json_string_value(json_object_get(job->payload, "to"));
    if (!id || !to || (strcmp(to, "billing") != 0 && strcmp(to, "accounting") != 0)) {
        snprintf(job->error, sizeof(job->error), "payload lacks invoice_id or a known to");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_INVOICE_EMAIL_CONTEXT, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    int column = strcmp(to, "billing") == 0 ? CTX_BILLING : CTX_ACCOUNTING;
    if (PQntuples(r) != 1 || PQgetisnull(r, 0, column) || PQgetisnull(r, 0, CTX_PDF)) {
        PQclear(r);
        return JOB_DONE; /* gone, or no accounting address any more */
    }
    const char *b64 = PQgetvalue(r, 0, CTX_PDF);
    size_t cap = strlen(b64), len = 0;
    unsigned char *pdf = malloc(cap + 1);
    if (!pdf || !crypto_base64_decode(b64, cap, pdf, cap + 1, &len)) {
        free(pdf);
        PQclear(r);
        snprintf(job->error, sizeof(job->error), "the stored PDF is unreadable");
        return JOB_FAILED;
    }
    char filename[64];
    snprintf(filename, sizeof(filename), "facture-%s.pdf", PQgetvalue(r, 0, CTX_NUMBER));
    struct mail_attachment attachment = {filename, "application/pdf", pdf, len};
    static char subject[INVOICE_TEXT_MAX], text[INVOICE_TEXT_MAX], html[INVOICE_TEXT_MAX];
    render(r, subject, text, html);
    char purpose[32];
    snprintf(purpose, sizeof(purpose), "invoice-%s", to);
    enum mail_result sent = job_mail_send(db, env,
        &(struct job_mail){.to = PQgetvalue(r, 0, column), .subject = subject,
                           .purpose = purpose, .id = id, .text = text, .html = html,
                           .attachment = &attachment, .team_id = PQgetvalue(r, 0, CTX_TEAM_ID)},
        job->error, sizeof(job->error));
    free(pdf);
    PQclear(r);
    if (sent == MAIL_SENT)
        return JOB_DONE;
    return sent == MAIL_REJECTED ? JOB_FAILED : JOB_RETRY;
}

#include "jobs/job_invitation_email.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/job_mail.h"

#define INVITATION_TEXT_MAX 4096

/* Columns of SQL_INVITATION_EMAIL_CONTEXT. */
enum { CTX_EMAIL, CTX_VERSION, CTX_OPEN, CTX_TEAM, CTX_INVITER, CTX_EXPIRES };

static void render(const PGresult *r, const char *link, char *text, char *html)
{
    const char *team = PQgetvalue(r, 0, CTX_TEAM);
    const char *inviter = PQgetvalue(r, 0, CTX_INVITER);
    const char *expires = PQgetvalue(r, 0, CTX_EXPIRES);
    snprintf(text, INVITATION_TEXT_MAX,
             "Bonjour,\n\n"
             "%s vous invite à rejoindre l'équipe « %s » sur pli.\n\n"
             "Pour accepter l'invitation, ouvrez ce lien :\n%s\n\n"
             "Si vous avez déjà un compte, connectez-vous avec cette adresse e-mail puis "
             "acceptez. Sinon, le formulaire d'inscription est pré-rempli pour vous.\n\n"
             "Ce lien est personnel et valable jusqu'au %s.\n"
             "Si vous ne vous attendiez pas à cette invitation, ignorez ce message.\n",
             inviter, team, link, expires);
    char team_html[1024], inviter_html[512];
    mail_html_escape(team, team_html, sizeof(team_html));
    mail_html_escape(inviter, inviter_html, sizeof(inviter_html));
    snprintf(html, INVITATION_TEXT_MAX,
             "<!DOCTYPE html><html lang=\"fr\"><body>"
             "<p>Bonjour,</p>"
             "<p>%s vous invite à rejoindre l'équipe « <strong>%s</strong> » sur pli.</p>"
             "<p><a href=\"%s\">Accepter l'invitation</a></p>"
             "<p>Si vous avez déjà un compte, connectez-vous avec cette adresse e-mail puis "
             "acceptez. Sinon, le formulaire d'inscription est pré-rempli pour vous.</p>"
             "<p>Ce lien est personnel et valable jusqu'au %s.<br>"
             "Si vous ne vous attendiez pas à cette invitation, ignorez ce message.</p>"
             "</body></html>",
             inviter_html, team_html, link, expires);
}

enum job_result job_invitation_email(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "invitation_id"));
    int version = (int)json_integer_value(json_object_get(job->payload, "version"));
    if (!id || version < 1) {
        snprintf(job->error, sizeof(job->error), "payload lacks invitation_id or version");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_INVITATION_EMAIL_CONTEXT, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    bool current = PQntuples(r) == 1 && (int)strtol(PQgetvalue(r, 0, CTX_VERSION), NULL, 10) == version &&
                   strcmp(PQgetvalue(r, 0, CTX_OPEN), "t") == 0;
    if (!current) { /* withdrawn, accepted, expired or resent since: nothing to send */
        PQclear(r);
        return JOB_DONE;
    }
    char token[CRYPTO_TOKEN_CHARS + 1], link[512];
    crypto_link_token(env->master_key, "invitation", id, version, token);
    snprintf(link, sizeof(link), "%s/invitations/%s", env->cfg->public_url, token);
    static char text[INVITATION_TEXT_MAX], html[INVITATION_TEXT_MAX];
    render(r, link, text, html);
    char subject[512];
    snprintf(subject, sizeof(subject), "Invitation à rejoindre l'équipe « %s »",
             PQgetvalue(r, 0, CTX_TEAM));
    enum mail_result sent = job_mail_send(db, env,
        &(struct job_mail){.to = PQgetvalue(r, 0, CTX_EMAIL), .subject = subject,
                           .purpose = "invitation", .id = id, .version = version, .text = text,
                           .html = html},
        job->error, sizeof(job->error));
    sodium_memzero(token, sizeof(token));
    sodium_memzero(link, sizeof(link));
    PQclear(r);
    if (sent != MAIL_SENT)
        return sent == MAIL_REJECTED ? JOB_FAILED : JOB_RETRY;
    char version_text[16];
    snprintf(version_text, sizeof(version_text), "%d", version);
    const char *sent_params[] = {id, version_text};
    if (db_exec(db, NULL, SQL_INVITATION_MARK_SENT, 2, sent_params, &r) == DB_OK)
        PQclear(r);
    return JOB_DONE;
}

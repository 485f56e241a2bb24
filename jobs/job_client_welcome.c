#include "jobs/job_client_welcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/job_mail.h"

#define WELCOME_TEXT_MAX 4096

/* Columns of SQL_CLIENT_USER_WELCOME_CONTEXT. */
enum {
    CTX_EMAIL,
    CTX_FIRST_NAME,
    CTX_LAST_NAME,
    CTX_NEEDS_PASSWORD,
    CTX_EXPIRES,
    CTX_OFFICE,
    CTX_REFERENCE,
    CTX_MATTER,
    CTX_SENDER_ADDRESS,
    CTX_SENDER_NAME,
    CTX_VERSION
};

/* The part of the message that tells how to sign in: the link to set the first password, or
 * the existing account to use. */
static void sign_in_text(const PGresult *r, const char *link, char *text, size_t size, bool html)
{
    const char *email = PQgetvalue(r, 0, CTX_EMAIL);
    if (link)
        snprintf(text, size,
                 html ? "<p>Votre identifiant : %s<br>Pour définir votre mot de passe, ouvrez "
                        "<a href=\"%s\">ce lien</a> (valable jusqu'au %s).</p>"
                      : "Votre identifiant : %s\nPour définir votre mot de passe, ouvrez ce lien "
                        "(valable jusqu'au %s) :\n%s\n",
                 email, html ? link : PQgetvalue(r, 0, CTX_EXPIRES),
                 html ? PQgetvalue(r, 0, CTX_EXPIRES) : link);
    else
        snprintf(text, size,
                 html ? "<p>Connectez-vous avec votre compte existant : %s.</p>"
                      : "Connectez-vous avec votre compte existant : %s.\n",
                 email);
}

static void render(const PGresult *r, const char *link, char *text, char *html)
{
    char sign_in[1024], sign_in_html[1536], office[512], matter[512], name[512];
    sign_in_text(r, link, sign_in, sizeof(sign_in), false);
    sign_in_text(r, link, sign_in_html, sizeof(sign_in_html), true);
    snprintf(text, WELCOME_TEXT_MAX,
             "Bonjour %s %s,\n\n"
             "%s vous ouvre un accès à son portail pour le dossier %s (%s).\n\n"
             "%s\n"
             "Pour toute question, répondez simplement à ce message.\n\n%s\n",
             PQgetvalue(r, 0, CTX_FIRST_NAME), PQgetvalue(r, 0, CTX_LAST_NAME),
             PQgetvalue(r, 0, CTX_OFFICE), PQgetvalue(r, 0, CTX_REFERENCE),
             PQgetvalue(r, 0, CTX_MATTER), sign_in, PQgetvalue(r, 0, CTX_SENDER_NAME));
    mail_html_escape(PQgetvalue(r, 0, CTX_OFFICE), office, sizeof(office));
    mail_html_escape(PQgetvalue(r, 0, CTX_MATTER), matter, sizeof(matter));
    mail_html_escape(PQgetvalue(r, 0, CTX_SENDER_NAME), name, sizeof(name));
    char first[256], last[256], reference[128];
    mail_html_escape(PQgetvalue(r, 0, CTX_FIRST_NAME), first, sizeof(first));
    mail_html_escape(PQgetvalue(r, 0, CTX_LAST_NAME), last, sizeof(last));
    mail_html_escape(PQgetvalue(r, 0, CTX_REFERENCE), reference, sizeof(reference));
    snprintf(html, WELCOME_TEXT_MAX,
             "<!DOCTYPE html><html lang=\"fr\"><body>"
             "<p>Bonjour %s %s,</p>"
             "<p>%s vous ouvre un accès à son portail pour le dossier %s (%s).</p>%s"
             "<p>Pour toute question, répondez simplement à ce message.</p><p>%s</p>"
             "</body></html>",
             first, last, office, reference, matter, sign_in_html, name);
}

enum job_result job_client_welcome(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "client_user_id"));
    if (!id || json_integer_value(json_object_get(job->payload, "version")) < 1) {
        snprintf(job->error, sizeof(job->error), "payload lacks client_user_id or version");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_CLIENT_USER_WELCOME_CONTEXT, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    int version = (int)json_integer_value(json_object_get(job->payload, "version"));
    /* The matter was deleted, or the welcome was sent again since: nothing to send. */
    if (PQntuples(r) != 1 || (int)strtol(PQgetvalue(r, 0, CTX_VERSION), NULL, 10) != version) {
        PQclear(r);
        return JOB_DONE;
    }
    char token[CRYPTO_TOKEN_CHARS + 1], link[512];
    bool needs_password = strcmp(PQgetvalue(r, 0, CTX_NEEDS_PASSWORD), "t") == 0;
    if (needs_password) {
        crypto_link_token(env->master_key, "welcome", id, version, token);
        snprintf(link, sizeof(link), "%s/welcome/%s", env->cfg->public_url, token);
    }
    static char text[WELCOME_TEXT_MAX], html[WELCOME_TEXT_MAX];
    render(r, needs_password ? link : NULL, text, html);
    char subject[512];
    snprintf(subject, sizeof(subject), "Bienvenue sur le portail de %s",
             PQgetvalue(r, 0, CTX_OFFICE));
    const char *sender = PQgetvalue(r, 0, CTX_SENDER_ADDRESS);
    struct job_mail mail = {
        .to = PQgetvalue(r, 0, CTX_EMAIL),
        .subject = subject,
        .purpose = "welcome",
        .id = id,
        .version = version,
        .text = text,
        .html = html,
        .from_address = sender,
        .from_name = PQgetvalue(r, 0, CTX_SENDER_NAME),
        .cc = sender,
    };
    enum mail_result sent = job_mail_send(db, env, &mail, job->error, sizeof(job->error));
    sodium_memzero(token, sizeof(token));
    sodium_memzero(link, sizeof(link));
    sodium_memzero(text, sizeof(text));
    sodium_memzero(html, sizeof(html));
    PQclear(r);
    if (sent == MAIL_SENT)
        return JOB_DONE;
    return sent == MAIL_REJECTED ? JOB_FAILED : JOB_RETRY;
}

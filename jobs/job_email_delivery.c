#include "jobs/job_email_delivery.h"

#include <stdio.h>
#include <string.h>

#include "jobs/job_mail.h"
#include "jobs/job_transition.h"

#define DELIVERY_TEXT_MAX 4096

/* Columns of SQL_DELIVERY_EMAIL_CONTEXT. */
enum { CTX_STATUS, CTX_CHANNEL, CTX_EMAIL, CTX_FIRST, CTX_LAST, CTX_SUBJECT, CTX_TEAM,
       CTX_SENDER, CTX_NOW, CTX_DEADLINE, CTX_LAST_DAY };

/* The registered e-mail's notice: it must not reveal the sender before acceptance. */
static void render_registered(const PGresult *r, const char *link, char *subject, char *text,
                              char *html)
{
    char name[256], name_html[768];
    snprintf(name, sizeof(name), "%s %s", PQgetvalue(r, 0, CTX_FIRST), PQgetvalue(r, 0, CTX_LAST));
    mail_html_escape(name, name_html, sizeof(name_html));
    const char *last_day = PQgetvalue(r, 0, CTX_LAST_DAY);
    snprintf(subject, DELIVERY_TEXT_MAX, "Une lettre recommandée électronique vous attend");
    snprintf(text, DELIVERY_TEXT_MAX,
             "Bonjour %s,\n\n"
             "Une lettre recommandée électronique vous a été adressée. Comme le prévoit la loi, "
             "l'identité de l'expéditeur ne vous sera communiquée qu'après votre acceptation.\n\n"
             "Pour en prendre connaissance, ouvrez ce lien personnel :\n%s\n\n"
             "Vous confirmerez votre identité avec un code à usage unique envoyé à cette "
             "adresse, puis vous accepterez ou refuserez la lettre.\n\n"
             "Vous disposez de %d jours à compter du lendemain de ce message, soit jusqu'au %s "
             "inclus. Sans réponse dans ce délai, la lettre sera considérée comme non réclamée.\n",
             name, link, DELIVERY_RESPONSE_DAYS, last_day);
    snprintf(html, DELIVERY_TEXT_MAX,
             "<!DOCTYPE html><html lang=\"fr\"><body>"
             "<p>Bonjour %s,</p>"
             "<p>Une lettre recommandée électronique vous a été adressée. Comme le prévoit la "
             "loi, l'identité de l'expéditeur ne vous sera communiquée qu'après votre "
             "acceptation.</p>"
             "<p><a href=\"%s\">Prendre connaissance de la lettre</a></p>"
             "<p>Vous confirmerez votre identité avec un code à usage unique envoyé à cette "
             "adresse, puis vous accepterez ou refuserez la lettre.</p>"
             "<p>Vous disposez de %d jours à compter du lendemain de ce message, soit jusqu'au "
             "%s inclus. Sans réponse dans ce délai, la lettre sera considérée comme non "
             "réclamée.</p></body></html>",
             name_html, link, DELIVERY_RESPONSE_DAYS, last_day);
}

/* A plain letter by e-mail: who sends it and a link that opens it. */
static void render_plain(const PGresult *r, const char *link, char *subject, char *text,
                         char *html)
{
    const char *sender = PQgetvalue(r, 0, CTX_SENDER);
    const char *team = PQgetvalue(r, 0, CTX_TEAM);
    const char *title = PQgetvalue(r, 0, CTX_SUBJECT);
    char sender_html[512], team_html[768], title_html[768];
    mail_html_escape(sender, sender_html, sizeof(sender_html));
    mail_html_escape(team, team_html, sizeof(team_html));
    mail_html_escape(title, title_html, sizeof(title_html));
    snprintf(subject, DELIVERY_TEXT_MAX, "%s (%s)", title, team);
    snprintf(text, DELIVERY_TEXT_MAX,
             "Bonjour,\n\n%s (%s) vous adresse un courrier : « %s ».\n\n"
             "Pour le lire et télécharger ses pièces jointes, ouvrez ce lien personnel :\n%s\n",
             sender, team, title, link);
    snprintf(html, DELIVERY_TEXT_MAX,
             "<!DOCTYPE html><html lang=\"fr\"><body><p>Bonjour,</p>"
             "<p>%s (%s) vous adresse un courrier : « %s ».</p>"
             "<p><a href=\"%s\">Lire le courrier</a></p></body></html>",
             sender_html, team_html, title_html, link);
}

static enum job_result deposit(struct db *db, const struct job_env *env, struct job *job,
                               const char *id, const char *channel)
{
    char token[CRYPTO_TOKEN_CHARS + 1], hash[CRYPTO_TOKEN_HASH_HEX + 1], days[16];
    crypto_link_token(env->master_key, "delivery", id, 1, token);
    crypto_token_hash(token, strlen(token), hash);
    sodium_memzero(token, sizeof(token));
    snprintf(days, sizeof(days), "%ld", env->cfg->delivery_link_days);
    json_t *details = json_pack("{s:s}", "channel", channel);
    struct job_transition t = {.event = {id, DELIVERY_DEPOSITED, "dispatch", NULL, details},
                               .follow_up = SQL_DELIVERY_LINK_SET,
                               .n_params = 3,
                               .params = {id, hash, days}};
    enum job_result result = job_transition_run(db, env, job, &t);
    json_decref(details);
    return result;
}

static enum job_result notify(struct db *db, const struct job_env *env, struct job *job,
                              const char *id, const PGresult *r, enum delivery_channel channel)
{
    char token[CRYPTO_TOKEN_CHARS + 1], link[512];
    crypto_link_token(env->master_key, "delivery", id, 1, token);
    snprintf(link, sizeof(link), "%s/deliveries/%s", env->cfg->public_url, token);
    static char subject[DELIVERY_TEXT_MAX], text[DELIVERY_TEXT_MAX], html[DELIVERY_TEXT_MAX];
    if (channel == CHANNEL_REGISTERED_EMAIL)
        render_registered(r, link, subject, text, html);
    else
        render_plain(r, link, subject, text, html);
    const char *address = PQgetvalue(r, 0, CTX_EMAIL);
    enum mail_result sent =
        job_mail_send(db, env, &(struct job_mail){.to = address, .subject = subject,
                                              .purpose = "delivery", .id = id, .text = text,
                                              .html = html},
                      job->error, sizeof(job->error));
    sodium_memzero(token, sizeof(token));
    sodium_memzero(link, sizeof(link));
    json_t *details = NULL;
    struct job_transition t = {.follow_up = SQL__MAX};
    t.event.delivery_id = id;
    t.event.source = "dispatch";
    if (sent == MAIL_SENT) {
        details = channel == CHANNEL_REGISTERED_EMAIL
                      ? json_pack("{s:s, s:s}", "address", address, "deadline_at",
                                  PQgetvalue(r, 0, CTX_DEADLINE))
                      : json_pack("{s:s}", "address", address);
        t.event.target = DELIVERY_NOTIFIED;
        t.event.occurred_at = PQgetvalue(r, 0, CTX_NOW);
        t.follow_up = SQL_DELIVERY_MARK_NOTIFIED;
        t.n_params = 2;
        t.params[0] = id;
        t.params[1] = PQgetvalue(r, 0, CTX_NOW);
    } else if (sent == MAIL_REJECTED) {
        details = json_pack("{s:s, s:s}", "address", address, "smtp_reply", job->error);
        t.event.target = DELIVERY_BOUNCED;
    } else if (job_last_attempt(job)) {
        details = json_pack("{s:s, s:s}", "address", address, "reason", job->error);
        t.event.target = DELIVERY_FAILED;
    } else {
        return JOB_RETRY;
    }
    t.event.details = details;
    enum job_result result = job_transition_run(db, env, job, &t);
    json_decref(details);
    return result;
}

enum job_result job_deliver_email(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "delivery_id"));
    if (!id) {
        snprintf(job->error, sizeof(job->error), "payload lacks delivery_id");
        return JOB_FAILED;
    }
    for (int step = 0; step < 2; step++) {
        const char *params[] = {id};
        PGresult *r;
        if (db_exec(db, NULL, SQL_DELIVERY_EMAIL_CONTEXT, 1, params, &r) != DB_OK) {
            snprintf(job->error, sizeof(job->error), "database unavailable");
            return JOB_RETRY;
        }
        enum delivery_status status;
        enum delivery_channel channel;
        if (PQntuples(r) != 1 || !delivery_status_parse(PQgetvalue(r, 0, CTX_STATUS), &status) ||
            !delivery_channel_parse(PQgetvalue(r, 0, CTX_CHANNEL), &channel) ||
            channel == CHANNEL_POSTAL) {
            PQclear(r);
            return JOB_DONE; /* gone, or not an e-mail delivery */
        }
        enum job_result result = JOB_DONE;
        if (status == DELIVERY_PENDING)
            result = deposit(db, env, job, id, PQgetvalue(r, 0, CTX_CHANNEL));
        else if (status == DELIVERY_DEPOSITED)
            result = notify(db, env, job, id, r, channel);
        PQclear(r);
        if (result != JOB_DONE || status != DELIVERY_PENDING)
            return result;
    }
    return JOB_DONE;
}

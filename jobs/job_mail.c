#include "jobs/job_mail.h"

#include <stdio.h>
#include <string.h>

#include "jobs/job_counters.h"

static const char *domain_of(const char *address)
{
    const char *at = strrchr(address, '@');
    return at ? at + 1 : "localhost";
}

/* Columns of SQL_TEAM_SYSTEM_MAILBOX. */
enum { SYS_HOST, SYS_PORT, SYS_TLS, SYS_USER, SYS_PASSWORD, SYS_ADDRESS, SYS_NAME };

/* Sends through the team's system account; MAIL_RESULT__MAX when the team has none. */
static enum mail_result send_as_team(struct db *db, const struct job_env *env,
                                     struct mail_message *msg, char *error, size_t error_size,
                                     const char *team_id)
{
    const char *params[] = {team_id};
    PGresult *r;
    if (db_exec(db, NULL, SQL_TEAM_SYSTEM_MAILBOX, 1, params, &r) != DB_OK) {
        snprintf(error, error_size, "database unavailable");
        return MAIL_TEMPORARY;
    }
    if (PQntuples(r) == 0) {
        PQclear(r);
        return MAIL_RESULT__MAX;
    }
    char password[CRYPTO_SECRET_MAX + 1] = "", url[600];
    bool with_password = !PQgetisnull(r, 0, SYS_PASSWORD);
    if (with_password &&
        !crypto_secret_open(env->master_key, PQgetvalue(r, 0, SYS_PASSWORD), password)) {
        PQclear(r);
        snprintf(error, error_size, "the system account's password cannot be opened");
        return MAIL_REJECTED;
    }
    const char *tls = PQgetvalue(r, 0, SYS_TLS);
    snprintf(url, sizeof(url), "%s://%s:%s", strcmp(tls, "implicit") == 0 ? "smtps" : "smtp",
             PQgetvalue(r, 0, SYS_HOST), PQgetvalue(r, 0, SYS_PORT));
    struct mail_server server = {url, PQgetisnull(r, 0, SYS_USER) ? NULL : PQgetvalue(r, 0, SYS_USER),
                                 with_password ? password : NULL, strcmp(tls, "starttls") == 0,
                                 env->cfg->pop3_ca_file};
    msg->from_address = PQgetvalue(r, 0, SYS_ADDRESS);
    msg->from_name = PQgetvalue(r, 0, SYS_NAME);
    msg->sender_address = NULL;
    enum mail_result sent = mail_send(&server, msg, error, error_size);
    sodium_memzero(password, sizeof(password));
    PQclear(r);
    return sent;
}

static enum mail_result send_mail(struct db *db, const struct job_env *env,
                                  const struct job_mail *mail, char *error, size_t error_size)
{
    const struct config *cfg = env->cfg;
    char message_id[256];
    if (mail->version > 0)
        snprintf(message_id, sizeof(message_id), "%s-%s-v%d@%s", mail->purpose, mail->id,
                 mail->version, domain_of(cfg->mail_from));
    else
        snprintf(message_id, sizeof(message_id), "%s-%s@%s", mail->purpose, mail->id,
                 domain_of(cfg->mail_from));
    struct mail_server server = {cfg->smtp_url, cfg->smtp_username, cfg->smtp_password,
                                 cfg->smtp_starttls, NULL};
    struct mail_message msg = {
        .from_address = mail->from_address ? mail->from_address : cfg->mail_from,
        .from_name = mail->from_address ? mail->from_name : cfg->mail_from_name,
        .sender_address = cfg->mail_from,
        .to = mail->to,
        .cc = mail->cc,
        .subject = mail->subject,
        .message_id = message_id,
        .text = mail->text,
        .html = mail->html,
        .attachment = mail->attachment,
    };
    if (mail->team_id) {
        enum mail_result sent = send_as_team(db, env, &msg, error, error_size, mail->team_id);
        if (sent != MAIL_RESULT__MAX)
            return sent;
    }
    return mail_send(&server, &msg, error, error_size);
}

enum mail_result job_mail_send(struct db *db, const struct job_env *env,
                               const struct job_mail *mail, char *error, size_t error_size)
{
    enum mail_result sent = send_mail(db, env, mail, error, error_size);
    job_counter_add(db, sent == MAIL_SENT ? METRIC_EMAILS_SENT : METRIC_EMAILS_FAILED,
                    mail->purpose, 1);
    return sent;
}

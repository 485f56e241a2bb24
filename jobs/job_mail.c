#include "jobs/job_mail.h"

#include <stdio.h>
#include <string.h>

static const char *domain_of(const char *address)
{
    const char *at = strrchr(address, '@');
    return at ? at + 1 : "localhost";
}

enum mail_result job_mail_send(const struct job_env *env, const struct job_mail *mail,
                               char *error, size_t error_size)
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
    return mail_send(&server, &msg, error, error_size);
}

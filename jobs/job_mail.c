#include "jobs/job_mail.h"

#include <stdio.h>
#include <string.h>

static const char *domain_of(const char *address)
{
    const char *at = strrchr(address, '@');
    return at ? at + 1 : "localhost";
}

enum mail_result job_mail_send(const struct job_env *env, const char *to, const char *subject,
                               const char *purpose, const char *id, int version,
                               const char *text, const char *html, char *error,
                               size_t error_size)
{
    const struct config *cfg = env->cfg;
    char message_id[256];
    if (version > 0)
        snprintf(message_id, sizeof(message_id), "%s-%s-v%d@%s", purpose, id, version,
                 domain_of(cfg->mail_from));
    else
        snprintf(message_id, sizeof(message_id), "%s-%s@%s", purpose, id,
                 domain_of(cfg->mail_from));
    struct mail_server server = {cfg->smtp_url, cfg->smtp_username, cfg->smtp_password,
                                 cfg->smtp_starttls};
    struct mail_message msg = {cfg->mail_from, cfg->mail_from_name, to, subject, message_id,
                               text, html};
    return mail_send(&server, &msg, error, error_size);
}

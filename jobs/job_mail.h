/* E-mail from pli-jobs: the configured SMTP relay and system sender, and Message-IDs that stay
 * the same across retries so that a repeated send is recognisably the same message. */
#ifndef PLI_JOB_MAIL_H
#define PLI_JOB_MAIL_H

#include "jobs/job_queue.h"
#include "lib/mail.h"

/* One e-mail to one address. */
struct job_mail {
    const char *to;
    const char *subject;
    const char *purpose; /* with id and version, names the message (see job_mail_send) */
    const char *id;
    int version;
    const char *text;
    const char *html;                         /* or NULL */
    const struct mail_attachment *attachment; /* or NULL */
    const char *from_address; /* sent on behalf of this address (NULL: the system sender) */
    const char *from_name;
    const char *cc; /* one address in copy, or NULL */
    const char *team_id; /* a team's system e-mail: sent through its system account, if set */
};

/* Sends the e-mail. A team's system e-mail goes through the SMTP settings of the team's system
 * account (from its address) when the team set one. On behalf of another address, the system sender stays the envelope sender
 * and the Sender: header. Its Message-ID is "<purpose>-<id>[-v<version>]@<sender's domain>" (no
 * version part when version is 0), the same on every retry. */
enum mail_result job_mail_send(struct db *db, const struct job_env *env,
                               const struct job_mail *mail, char *error, size_t error_size);

#endif

/* E-mail from pli-jobs: the configured SMTP relay and system sender, and Message-IDs that stay
 * the same across retries so that a repeated send is recognisably the same message. */
#ifndef PLI_JOB_MAIL_H
#define PLI_JOB_MAIL_H

#include "jobs/job_queue.h"
#include "lib/mail.h"

/* Sends text (and html, or NULL) to one address. The Message-ID is
 * "<purpose>-<id>[-v<version>]@<sender's domain>" (no version part when version is 0). */
enum mail_result job_mail_send(const struct job_env *env, const char *to, const char *subject,
                               const char *purpose, const char *id, int version,
                               const char *text, const char *html, char *error,
                               size_t error_size);

#endif

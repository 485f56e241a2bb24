/* The automatic e-mails of an office (see emit_notification in the 0012 migration). */
#ifndef PLI_JOB_NOTIFICATION_EMAIL_H
#define PLI_JOB_NOTIFICATION_EMAIL_H

#include "jobs/job_queue.h"

/* Sends one recipient's copy of a notification: payload {notification_id, index} (1-based). */
enum job_result job_notification_email(struct db *db, const struct job_env *env,
                                       struct job *job);

#endif

/* deliver_email: deposit, then the recipient's notification e-mail with a personal link. */
#ifndef PLI_JOB_EMAIL_DELIVERY_H
#define PLI_JOB_EMAIL_DELIVERY_H

#include "jobs/job_queue.h"

/* Moves a registered or plain e-mail delivery through deposited to notified (or bounced when
 * the mail server refuses the address, failed when it stays unreachable). */
enum job_result job_deliver_email(struct db *db, const struct job_env *env, struct job *job);

#endif

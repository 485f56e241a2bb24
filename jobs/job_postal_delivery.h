/* deliver_postal: hands a postal delivery to the carrier over HTTPS. */
#ifndef PLI_JOB_POSTAL_DELIVERY_H
#define PLI_JOB_POSTAL_DELIVERY_H

#include "jobs/job_queue.h"

/* Sends the letter (rendered text and attachments) to the carrier with the delivery id as
 * idempotency key, so that a repeated dispatch never posts a second letter; the carrier's
 * acceptance is the deposit. Refused letters fail; an unreachable carrier is retried. */
enum job_result job_deliver_postal(struct db *db, const struct job_env *env, struct job *job);

#endif

/* delivery_code: e-mails the one-time code a recipient asked for to confirm their identity. */
#ifndef PLI_JOB_DELIVERY_CODE_H
#define PLI_JOB_DELIVERY_CODE_H

#include "jobs/job_queue.h"

/* Sends the code of the payload's version, unless a newer one was asked for or it expired. */
enum job_result job_delivery_code(struct db *db, const struct job_env *env, struct job *job);

#endif

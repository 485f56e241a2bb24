/* dispatch_letter: fans a validated letter out into one delivery job per recipient. */
#ifndef PLI_JOB_DISPATCH_H
#define PLI_JOB_DISPATCH_H

#include "jobs/job_queue.h"

/* Queues deliver_email or deliver_postal for each pending delivery of the letter. */
enum job_result job_dispatch_letter(struct db *db, const struct job_env *env, struct job *job);

#endif

/* delivery_deadlines: the hourly check that turns unanswered registered e-mails into
 * negligence once their 15 days have run out. */
#ifndef PLI_JOB_DEADLINES_H
#define PLI_JOB_DEADLINES_H

#include "jobs/job_queue.h"

/* Records negligence, dated at the deadline, for every delivery past it. */
enum job_result job_delivery_deadlines(struct db *db, const struct job_env *env, struct job *job);

#endif

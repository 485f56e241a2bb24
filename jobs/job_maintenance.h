/* Housekeeping jobs: forget what can no longer be used. */
#ifndef PLI_JOB_MAINTENANCE_H
#define PLI_JOB_MAINTENANCE_H

#include "jobs/job_queue.h"

/* Deletes dead sessions, stale login counters, week-old finished jobs and day-old
 * idempotency keys. */
enum job_result job_purge_expired(struct db *db, const struct job_env *env, struct job *job);

#endif

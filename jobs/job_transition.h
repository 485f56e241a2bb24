/* Delivery transitions from pli-jobs: one event recorded (with its proof) and, when it applied
 * (or always, when asked), one follow-up statement, in a single transaction. */
#ifndef PLI_JOB_TRANSITION_H
#define PLI_JOB_TRANSITION_H

#include "db/delivery_record.h"
#include "jobs/job_queue.h"

#define JOB_TRANSITION_PARAMS_MAX 4

struct job_transition {
    struct delivery_event event;
    enum sql_statement follow_up; /* SQL__MAX for none */
    bool follow_up_always;        /* run it even when the event was only recorded */
    int n_params;
    const char *params[JOB_TRANSITION_PARAMS_MAX];
    struct delivery_outcome outcome; /* filled by job_transition_run */
};

/* Runs the transition; JOB_DONE once committed (applied or recorded only), JOB_RETRY when the
 * database failed. */
enum job_result job_transition_run(struct db *db, const struct job_env *env, struct job *job,
                                   struct job_transition *t);

#endif

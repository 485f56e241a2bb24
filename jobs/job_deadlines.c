#include "jobs/job_deadlines.h"

#include <stdio.h>
#include <string.h>

#include "jobs/job_transition.h"

/* Deliveries handled per query; the job loops until none is left. */
#define DEADLINES_BATCH 100

enum job_result job_delivery_deadlines(struct db *db, const struct job_env *env, struct job *job)
{
    char batch[16];
    snprintf(batch, sizeof(batch), "%d", DEADLINES_BATCH);
    for (;;) {
        const char *params[] = {batch};
        PGresult *r;
        if (db_exec(db, NULL, SQL_DELIVERIES_PAST_DEADLINE, 1, params, &r) != DB_OK) {
            snprintf(job->error, sizeof(job->error), "database unavailable");
            return JOB_RETRY;
        }
        int n = PQntuples(r);
        for (int i = 0; i < n; i++) {
            json_t *details = json_pack("{s:s}", "deadline_at", PQgetvalue(r, i, 1));
            struct job_transition t = {.event = {PQgetvalue(r, i, 0), DELIVERY_NEGLIGENCE,
                                                 "deadline", PQgetvalue(r, i, 1), details},
                                       .follow_up = SQL__MAX};
            enum job_result result = job_transition_run(db, env, job, &t);
            json_decref(details);
            if (result != JOB_DONE) {
                PQclear(r);
                return result;
            }
        }
        PQclear(r);
        if (n < DEADLINES_BATCH)
            return JOB_DONE;
    }
}

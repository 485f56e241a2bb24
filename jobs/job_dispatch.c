#include "jobs/job_dispatch.h"

#include <stdio.h>

enum job_result job_dispatch_letter(struct db *db, const struct job_env *env, struct job *job)
{
    (void)env;
    const char *letter = json_string_value(json_object_get(job->payload, "letter_id"));
    const char *team = json_string_value(json_object_get(job->payload, "team_id"));
    if (!letter || !team) {
        snprintf(job->error, sizeof(job->error), "payload lacks letter_id or team_id");
        return JOB_FAILED;
    }
    const char *params[] = {team, letter};
    PGresult *r;
    if (db_exec(db, NULL, SQL_DELIVERIES_ENQUEUE, 2, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    PQclear(r);
    return JOB_DONE;
}

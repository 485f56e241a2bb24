#include "jobs/job_maintenance.h"

#include <stdio.h>

static bool purge(struct db *db, enum sql_statement stmt, int n, const char *const *params,
                  struct job *job)
{
    PGresult *r;
    enum db_status st = db_exec(db, NULL, stmt, n, params, &r);
    if (st != DB_OK) {
        snprintf(job->error, sizeof(job->error), "%s failed (%s)", sql_statement_names[stmt],
                 db_last_sqlstate(db));
        return false;
    }
    PQclear(r);
    return true;
}

enum job_result job_purge_expired(struct db *db, const struct job_env *env, struct job *job)
{
    const struct config *cfg = env->cfg;
    char idle[24], window[24];
    snprintf(idle, sizeof(idle), "%ld", cfg->session_idle_seconds);
    snprintf(window, sizeof(window), "%ld", cfg->login_lock_seconds);
    const char *idle_params[] = {idle};
    const char *window_params[] = {window};
    bool ok = purge(db, SQL_MAINTENANCE_PURGE_SESSIONS, 1, idle_params, job) &&
              purge(db, SQL_MAINTENANCE_PURGE_LOGIN_THROTTLE, 1, window_params, job) &&
              purge(db, SQL_MAINTENANCE_PURGE_JOBS, 0, NULL, job) &&
              purge(db, SQL_MAINTENANCE_PURGE_IDEMPOTENCY, 0, NULL, job);
    return ok ? JOB_DONE : JOB_RETRY;
}

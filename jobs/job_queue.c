#include "jobs/job_queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

#define JOB_BACKOFF_BASE 5
#define JOB_BACKOFF_MAX 3600

int job_backoff_seconds(int attempt)
{
    if (attempt < 1)
        attempt = 1;
    long delay = JOB_BACKOFF_BASE;
    for (int i = 1; i < attempt && delay < JOB_BACKOFF_MAX; i++)
        delay *= 2;
    return (int)(delay < JOB_BACKOFF_MAX ? delay : JOB_BACKOFF_MAX);
}

int job_retry_delay(const struct job *job)
{
    return job->retry_after_seconds > 0 ? job->retry_after_seconds
                                        : job_backoff_seconds(job->attempts);
}

enum db_status job_enqueue_once(struct db *db, const char *kind, const char *dedupe_key)
{
    const char *params[] = {kind, dedupe_key};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_JOB_ENQUEUE_ONCE, 2, params, &r);
    if (st == DB_OK)
        PQclear(r);
    return st;
}

static void finish(struct db *db, const struct job *job, enum job_result result)
{
    char delay[16];
    PGresult *r;
    enum db_status st;
    bool last = job->attempts >= job->max_attempts;
    if (result == JOB_DONE) {
        const char *params[] = {job->id};
        st = db_exec(db, NULL, SQL_JOB_DONE, 1, params, &r);
    } else if (result == JOB_RETRY && !last) {
        snprintf(delay, sizeof(delay), "%d", job_retry_delay(job));
        const char *params[] = {job->id, delay, job->error};
        st = db_exec(db, NULL, SQL_JOB_RETRY, 3, params, &r);
        log_warn("job %s (%s) attempt %d failed, retry in %ss: %s", job->id, job->kind,
                 job->attempts, delay, job->error);
    } else {
        const char *params[] = {job->id, job->error};
        st = db_exec(db, NULL, SQL_JOB_DEAD, 2, params, &r);
        log_error("job %s (%s) dead after %d attempt(s): %s", job->id, job->kind, job->attempts,
                  job->error);
    }
    if (st == DB_OK)
        PQclear(r);
    else
        log_error("job %s: could not record its outcome; its lease will expire", job->id);
}

void job_kind_names(const struct job_kind *kinds, int n_kinds, char *out, size_t size)
{
    size_t used = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < n_kinds && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "", kinds[i].name);
    if (used < size)
        snprintf(out + used, size - used, "}");
}

static const struct job_kind *find_kind(const struct job_kind *kinds, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

bool job_run_one(struct db *db, const struct job_env *env, const struct job_kind *kinds,
                 int n_kinds)
{
    char lease[16], names[JOB_KIND_NAMES_MAX];
    snprintf(lease, sizeof(lease), "%d", JOB_LEASE_SECONDS);
    job_kind_names(kinds, n_kinds, names, sizeof(names));
    const char *params[] = {lease, names};
    PGresult *r;
    if (db_exec(db, NULL, SQL_JOB_CLAIM, 2, params, &r) != DB_OK)
        return false;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return false;
    }
    struct job job = {
        .id = PQgetvalue(r, 0, 0),
        .kind = PQgetvalue(r, 0, 1),
        .payload = json_loads(PQgetvalue(r, 0, 2), 0, NULL),
        .attempts = (int)strtol(PQgetvalue(r, 0, 3), NULL, 10),
        .max_attempts = (int)strtol(PQgetvalue(r, 0, 4), NULL, 10),
    };
    const struct job_kind *kind = find_kind(kinds, n_kinds, job.kind);
    enum job_result result;
    if (!kind) {
        snprintf(job.error, sizeof(job.error), "no handler for kind %s", job.kind);
        result = JOB_FAILED;
    } else if (job.attempts > job.max_attempts) {
        snprintf(job.error, sizeof(job.error), "lease expired on the last attempt");
        result = JOB_FAILED;
    } else {
        result = kind->run(db, env, &job);
    }
    finish(db, &job, result);
    json_decref(job.payload);
    PQclear(r);
    return true;
}

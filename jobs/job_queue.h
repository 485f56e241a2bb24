/* The job queue runner: claim, run, then done, retry with back-off, or dead-letter. */
#ifndef PLI_JOB_QUEUE_H
#define PLI_JOB_QUEUE_H

#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"
#include "lib/config.h"
#include "lib/crypto.h"

/* What a job handler reports. */
enum job_result {
    JOB_DONE,
    JOB_RETRY, /* transient failure: try again later */
    JOB_FAILED, /* permanent failure: dead-letter at once */
    JOB_RESULT__MAX
};

struct job {
    const char *id;
    const char *kind;
    json_t *payload;
    int attempts;
    int max_attempts;
    char error[256]; /* set by the handler on failure */
    int retry_after_seconds; /* set by a handler with a schedule of its own: the delay before
                              * the attempt after a JOB_RETRY; 0 keeps job_backoff_seconds */
};

/* What every job handler may use besides its database connection. */
struct job_env {
    const struct config *cfg;
    unsigned char master_key[CRYPTO_MASTER_KEY_BYTES];
    struct signing_key key; /* signs delivery proofs */
};

struct job_kind {
    const char *name;
    enum job_result (*run)(struct db *db, const struct job_env *env, struct job *job);
};

/* How long a claimed job is leased before another runner may take it over. */
#define JOB_LEASE_SECONDS 300

#define JOB_KIND_NAMES_MAX 1024

/* True when a failure now would be this job's last attempt. */
static inline bool job_last_attempt(const struct job *job)
{
    return job->attempts >= job->max_attempts;
}

/* Writes the kinds' names as a PostgreSQL text array literal ("{a,b}"). */
void job_kind_names(const struct job_kind *kinds, int n_kinds, char *out, size_t size);
/* Seconds to wait before attempt number `attempt` + 1: 5 s doubling, at most an hour. */
int job_backoff_seconds(int attempt);
/* The delay before the attempt after a failed one: the handler's retry_after_seconds when it
 * set one, else job_backoff_seconds. */
int job_retry_delay(const struct job *job);
/* Claims and runs one due job; false when none was due or the database is away. */
bool job_run_one(struct db *db, const struct job_env *env, const struct job_kind *kinds,
                 int n_kinds);
/* Queues a job once per de-duplication key (periodic work). */
enum db_status job_enqueue_once(struct db *db, const char *kind, const char *dedupe_key);

#endif

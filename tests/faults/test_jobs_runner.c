/* pli-jobs works the queue: NOTIFY on insert wakes it; unknown kinds are dead-lettered. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/stack.h"
#include "support/testdb.h"

/* Long enough for a runner to work through what earlier suites left due. */
#define JOB_WAIT_SECONDS 30

static char *queue_job(const char *kind)
{
    const char *params[] = {kind};
    PGresult *r = testdb_exec("INSERT INTO jobs (kind) VALUES ($1) RETURNING id", 1, params);
    cr_assert_eq(PQntuples(r), 1);
    char *id = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return id;
}

/* Polls the job's state until it is `state` or the deadline passes; returns the last state. */
static char *wait_job_state(const char *id, const char *state)
{
    const char *params[] = {id};
    char *last = NULL;
    double deadline = stack_now() + JOB_WAIT_SECONDS;
    do {
        free(last);
        PGresult *r = testdb_exec("SELECT state FROM jobs WHERE id = $1", 1, params);
        last = strdup(PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "(gone)");
        PQclear(r);
        if (strcmp(last, state) == 0)
            break;
        stack_sleep(0.05);
    } while (stack_now() < deadline);
    if (strcmp(last, state) != 0) { /* say what the runner had to do instead */
        PGresult *r = testdb_exec("SELECT kind || ' ' || state || ' x' || count(*) FROM jobs "
                                  "WHERE state IN ('queued', 'running') AND run_at <= now() "
                                  "GROUP BY kind, state",
                                  0, NULL);
        for (int i = 0; i < PQntuples(r); i++)
            cr_log_error("still due: %s", PQgetvalue(r, i, 0));
        PQclear(r);
    }
    return last;
}

Test(jobs_runner, purge_expired_deletes_an_expired_session, .timeout = 60)
{
    struct client c;
    client_init(&c);
    char user[64];
    snprintf(user, sizeof(user), "%s", client_signup(&c, NULL, 0));
    const char *params[] = {user};
    cr_assert_eq(testdb_long("SELECT count(*) FROM sessions WHERE user_id = $1", 1, params), 1);
    PQclear(testdb_exec("UPDATE sessions SET expires_at = now() - interval '1 hour' "
                        "WHERE user_id = $1",
                        1, params));

    char *job = queue_job("purge_expired");
    char *state = wait_job_state(job, "done");
    long sessions = testdb_long("SELECT count(*) FROM sessions WHERE user_id = $1", 1, params);
    cr_assert_str_eq(state, "done", "job %s is '%s' after %d s", job, state, JOB_WAIT_SECONDS);
    cr_assert_eq(sessions, 0, "the expired session is still there");
    free(state);
    free(job);
}

Test(jobs_runner, purge_expired_keeps_a_live_session, .timeout = 60)
{
    struct client c;
    client_init(&c);
    char user[64];
    snprintf(user, sizeof(user), "%s", client_signup(&c, NULL, 0));
    const char *params[] = {user};
    char *job = queue_job("purge_expired");
    char *state = wait_job_state(job, "done");
    cr_assert_str_eq(state, "done", "job %s is '%s' after %d s", job, state, JOB_WAIT_SECONDS);
    cr_assert_eq(testdb_long("SELECT count(*) FROM sessions WHERE user_id = $1", 1, params), 1,
                 "a live session was purged");
    struct reply *r = client_send(&c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the session no longer works: %ld %s", r->status, r->body);
    reply_free(r);
    free(state);
    free(job);
}

Test(jobs_runner, unknown_kind_waits_for_a_runner_that_knows_it, .timeout = 60)
{
    unsigned char raw[6];
    char hex[13], kind[64];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(kind, sizeof(kind), "no_such_kind_%s", hex);

    char *job = queue_job(kind);
    /* A known job queued after it is run: the runner was awake and passed the unknown one by. */
    char *known = queue_job("purge_expired");
    char *known_state = wait_job_state(known, "done");
    const char *params[] = {job};
    PGresult *r = testdb_exec("SELECT state, attempts FROM jobs WHERE id = $1", 1, params);
    cr_assert_eq(PQntuples(r), 1);
    char *state = strdup(PQgetvalue(r, 0, 0));
    long attempts = strtol(PQgetvalue(r, 0, 1), NULL, 10);
    PQclear(r);
    PQclear(testdb_exec("DELETE FROM jobs WHERE id = $1", 1, params));

    cr_assert_str_eq(known_state, "done", "the known job is '%s'", known_state);
    cr_assert_str_eq(state, "queued", "job %s (%s) is '%s'", job, kind, state);
    cr_assert_eq(attempts, 0, "an unknown kind was claimed (%ld attempts)", attempts);
    free(state);
    free(known_state);
    free(known);
    free(job);
}

/* Eight pli-jobs runners on one queue of 10,000 jobs: every job runs exactly once (claims
 * skip each other's locked rows), none is dead-lettered, and the extra runners stop cleanly. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "support/jobs_proc.h"
#include "support/stack.h"
#include "support/testdb.h"

#define EXTRA_RUNNERS 7
#define JOBS 10000
#define WAIT_SECONDS 120

static pid_t extra[EXTRA_RUNNERS];
static char prefix[64];

/* Runs after the test, failed or not: no extra runner outlives it, no test job stays behind. */
static void cleanup(void)
{
    jobs_extra_stop(extra, EXTRA_RUNNERS, 10.0);
    if (prefix[0]) {
        const char *params[] = {prefix};
        PQclear(testdb_exec("DELETE FROM jobs WHERE dedupe_key LIKE $1 || '%'", 1, params));
    }
}

static long count_jobs(const char *where)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM jobs WHERE dedupe_key LIKE $1 || '%%' AND %s",
             where);
    const char *params[] = {prefix};
    return testdb_long(sql, 1, params);
}

Test(jobs_many, eight_runners_run_ten_thousand_jobs_once_each, .timeout = 240, .fini = cleanup)
{
    pid_t runner = jobs_runner_pid();
    cr_assert(jobs_is_runner(runner), "the stack's pli-jobs (%d) is not running", (int)runner);
    unsigned char raw[6];
    char hex[13];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(prefix, sizeof(prefix), "fault-many-%s-", hex);

    int started = jobs_extra_start(EXTRA_RUNNERS, extra);
    cr_assert_eq(started, EXTRA_RUNNERS, "only %d of %d extra runners started", started,
                 EXTRA_RUNNERS);
    for (int i = 0; i < EXTRA_RUNNERS; i++)
        cr_assert(jobs_wait_runner(extra[i], 5.0), "extra runner %d (%d) is not running", i,
                  (int)extra[i]);
    stack_sleep(0.5); /* connected and listening before the jobs arrive */

    char total[16];
    snprintf(total, sizeof(total), "%d", JOBS);
    const char *params[] = {prefix, total};
    double start = stack_now();
    PGresult *r = testdb_exec("INSERT INTO jobs (kind, dedupe_key) "
                              "SELECT 'purge_expired', $1 || g FROM generate_series(1, $2::int) g",
                              2, params);
    cr_assert_str_eq(PQcmdTuples(r), total);
    PQclear(r);

    long finished = 0;
    while ((finished = count_jobs("state IN ('done', 'dead')")) < JOBS &&
           stack_now() - start < WAIT_SECONDS)
        stack_sleep(0.5);
    double took = stack_now() - start;
    int alive = 0;
    for (int i = 0; i < EXTRA_RUNNERS; i++)
        alive += jobs_is_runner(extra[i]);
    int clean = jobs_extra_stop(extra, EXTRA_RUNNERS, 10.0);

    long dead = count_jobs("state = 'dead'");
    long twice = count_jobs("attempts <> 1");
    cr_log_info("%d jobs finished in %.1f s by %d runners", JOBS, took, EXTRA_RUNNERS + 1);
    cr_assert_eq(finished, JOBS, "%ld of %d jobs finished within %d s", finished, JOBS,
                 WAIT_SECONDS);
    cr_assert_eq(dead, 0, "%ld jobs were dead-lettered", dead);
    cr_assert_eq(twice, 0, "%ld jobs did not run exactly once (attempts <> 1)", twice);
    cr_assert_eq(alive, EXTRA_RUNNERS, "%d extra runners died while working",
                 EXTRA_RUNNERS - alive);
    cr_assert_eq(clean, EXTRA_RUNNERS, "%d of %d extra runners did not stop cleanly on SIGTERM",
                 EXTRA_RUNNERS - clean, EXTRA_RUNNERS);
    cr_assert(jobs_is_runner(runner), "the stack's own runner stopped");
}

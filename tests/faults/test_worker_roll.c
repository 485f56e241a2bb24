/* SIGHUP rolls the workers: a new set starts, the old one finishes its requests and leaves. */
#include <criterion/criterion.h>
#include <signal.h>
#include <unistd.h>

#include "support/fcgi_raw.h"
#include "support/load.h"
#include "support/prom.h"
#include "support/stack.h"

#define HEALTH "/api/v1/health"

Test(worker_roll, sighup_under_load_loses_no_request, .timeout = 30)
{
    pid_t master = stack_master_pid();
    int n = stack_configured_workers();
    pid_t old[STACK_WORKERS_MAX];
    cr_assert_geq(stack_wait_children(master, n, NULL, 0, 2.0, old), 0,
                  "the master does not have its %d workers before the test", n);
    struct load *load = load_start(HEALTH, 4, 10);
    stack_sleep(0.3);

    cr_assert_eq(kill(master, SIGHUP), 0);
    double rolled = stack_wait_children(master, n, old, n, 2.0, NULL);
    stack_sleep(0.5); /* keep the stream going on the new workers */
    struct load_result r;
    load_stop(load, &r);
    cr_log_info("%ld answers: %ld ok, %ld 502, %ld other", r.answered, r.ok, r.bad_gateway,
                r.other);

    cr_assert_geq(rolled, 0, "the old workers did not all leave within 2 s");
    cr_assert_gt(r.ok, 0, "no request succeeded");
    cr_assert_eq(r.bad_gateway, 0, "%ld of %ld requests got 502 during the roll",
                 r.bad_gateway, r.answered);
    cr_assert_eq(r.other, 0, "%ld requests did not get 200 (first: %ld %s)", r.other,
                 r.first_other, r.first_other_body);
    cr_assert(stack_process_alive(master), "the master died");
}

Test(worker_roll, sighup_replaces_every_worker_and_keeps_the_count, .timeout = 30)
{
    pid_t master = stack_master_pid();
    int n = stack_configured_workers();
    pid_t old[STACK_WORKERS_MAX], now[STACK_WORKERS_MAX];
    cr_assert_geq(stack_wait_children(master, n, NULL, 0, 2.0, old), 0,
                  "the master does not have its %d workers before the test", n);
    struct pt_doc *d = pt_scrape();
    double rolls = pt_value(d, "pli_worker_restarts_total", "reason=\"roll\"", -1);
    double crashes = pt_value(d, "pli_worker_restarts_total", "reason=\"crash\"", -1);
    pt_free(d);
    cr_assert_eq(kill(master, SIGHUP), 0);
    cr_assert_geq(stack_wait_children(master, n, old, n, 2.0, now), 0,
                  "after SIGHUP the master should have %d new workers and none of the old", n);
    stack_sleep(0.5); /* no extra worker appears later */
    cr_assert_eq(stack_children(master, now, STACK_WORKERS_MAX), n);
    cr_assert_geq(stack_wait_ok(HEALTH, 1.0), 0, "no 200 after the roll");
    /* Every worker counted once as rolled, none as crashed. */
    d = pt_scrape();
    cr_assert_eq(pt_value(d, "pli_worker_restarts_total", "reason=\"roll\"", -1), rolls + n);
    cr_assert_eq(pt_value(d, "pli_worker_restarts_total", "reason=\"crash\"", -1), crashes);
    pt_free(d);
}

/* A worker that has accepted a connection but not yet read its request when the roll's
 * SIGTERM arrives: the request must still be answered, and the worker must still leave. */
static pid_t roll_with_a_connection_held(int *fd, pid_t *old, int n)
{
    pid_t master = stack_master_pid();
    cr_assert_geq(stack_wait_children(master, n, NULL, 0, 2.0, old), 0,
                  "the master does not have its %d workers before the test", n);
    cr_assert_eq(fcgi_raw_get(fcgi_raw_connect(), HEALTH, 3.0), 200,
                 "the raw FastCGI client gets no answer even without a roll");
    *fd = fcgi_raw_connect();
    stack_sleep(0.3); /* an idle worker accepts it and waits for the request records */
    cr_assert_eq(kill(master, SIGHUP), 0);
    stack_sleep(0.5); /* the new set starts; the old one has had its SIGTERM */
    return master;
}

/* Leaves the stack with a full set of workers: an old worker that missed its stop is told
 * again (it is back in accept(), where SIGTERM does end it). */
static void settle(pid_t master, const pid_t *old, int n)
{
    pid_t now[STACK_WORKERS_MAX];
    int count = stack_children(master, now, STACK_WORKERS_MAX);
    for (int i = 0; i < count; i++)
        if (stack_pid_in(now[i], old, n))
            kill(now[i], SIGTERM);
    stack_wait_children(master, n, old, n, 2.0, NULL);
}

Test(worker_roll, connection_accepted_before_sighup_is_answered, .timeout = 30)
{
    int n = stack_configured_workers(), fd;
    pid_t old[STACK_WORKERS_MAX];
    pid_t master = roll_with_a_connection_held(&fd, old, n);
    long status = fcgi_raw_get(fd, HEALTH, 3.0);
    settle(master, old, n);
    cr_assert_eq(status, 200,
                 "the old worker dropped a connection it had accepted (status %ld): SIGTERM "
                 "interrupted FCGX_Accept_r while it read the request",
                 status);
}

Test(worker_roll, worker_holding_a_connection_still_leaves, .timeout = 30)
{
    int n = stack_configured_workers(), fd;
    pid_t old[STACK_WORKERS_MAX];
    pid_t master = roll_with_a_connection_held(&fd, old, n);
    double rolled = stack_wait_children(master, n, old, n, 2.0, NULL);
    close(fd);
    pid_t now[STACK_WORKERS_MAX];
    int count = stack_children(master, now, STACK_WORKERS_MAX);
    settle(master, old, n);
    cr_assert_geq(rolled, 0, "2 s after SIGHUP the master has %d children, some of them old",
                  count);
}

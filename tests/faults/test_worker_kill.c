/* Workers killed with SIGKILL under load: the master replaces them and service goes on. */
#include <criterion/criterion.h>
#include <signal.h>

#include "support/client.h"
#include "support/load.h"
#include "support/prom.h"
#include "support/stack.h"

#define HEALTH "/api/v1/health"

/* The master and its full set of workers, checked before a test disturbs them. */
static pid_t steady_workers(pid_t *workers, int *n)
{
    pid_t master = stack_master_pid();
    cr_assert(stack_process_alive(master), "master %d is not running", (int)master);
    *n = stack_configured_workers();
    cr_assert_geq(stack_wait_children(master, *n, NULL, 0, 2.0, workers), 0,
                  "the master does not have its %d workers before the test", *n);
    return master;
}

static void assert_load_healthy(const struct load_result *r)
{
    cr_log_info("%ld answers: %ld ok, %ld 502, %ld other", r->answered, r->ok, r->bad_gateway,
                r->other);
    cr_assert_gt(r->ok, 0, "no request succeeded during the test");
    cr_assert_eq(r->other, 0, "%ld answers were neither 200 nor 502 (first: %ld %s)", r->other,
                 r->first_other, r->first_other_body);
    cr_assert_eq(r->bad_gateway_raw, 0,
                 "%ld of %ld 502 answers were not problem+json upstream_unavailable",
                 r->bad_gateway_raw, r->bad_gateway);
}

Test(worker_kill, killed_worker_is_replaced_within_a_second, .timeout = 30)
{
    pid_t workers[STACK_WORKERS_MAX];
    int n;
    pid_t master = steady_workers(workers, &n);
    struct load *load = load_start(HEALTH, 4, 10);
    stack_sleep(0.2);

    pid_t victim = workers[0];
    cr_assert_eq(kill(victim, SIGKILL), 0);
    double replaced = stack_wait_children(master, n, &victim, 1, 1.0, NULL);
    double served = stack_wait_ok(HEALTH, 1.0);
    stack_sleep(0.3);
    struct load_result r;
    load_stop(load, &r);

    cr_assert_geq(replaced, 0, "worker %d was not replaced within 1 s", (int)victim);
    cr_assert_geq(served, 0, "no 200 within 1 s of the kill");
    cr_assert(stack_process_alive(master), "the master died");
    cr_assert_eq(stack_master_pid(), master, "the pid file names another master");
    assert_load_healthy(&r);
}

Test(worker_kill, only_the_killed_worker_changes, .timeout = 30)
{
    pid_t before[STACK_WORKERS_MAX], after[STACK_WORKERS_MAX];
    int n;
    pid_t master = steady_workers(before, &n);
    pid_t victim = before[n - 1];
    cr_assert_eq(kill(victim, SIGKILL), 0);
    cr_assert_geq(stack_wait_children(master, n, &victim, 1, 1.0, after), 0,
                  "worker %d was not replaced within 1 s", (int)victim);
    int kept = 0;
    for (int i = 0; i < n; i++)
        kept += stack_pid_in(after[i], before, n);
    cr_assert_eq(kept, n - 1, "the other workers should keep running (%d of %d kept)", kept,
                 n - 1);
}

Test(worker_kill, all_workers_killed_service_returns, .timeout = 30)
{
    pid_t workers[STACK_WORKERS_MAX];
    int n;
    pid_t master = steady_workers(workers, &n);
    struct load *load = load_start(HEALTH, 4, 10);
    stack_sleep(0.2);

    for (int i = 0; i < n; i++)
        cr_assert_eq(kill(workers[i], SIGKILL), 0);
    double replaced = stack_wait_children(master, n, workers, n, 1.5, NULL);
    double served = stack_wait_ok(HEALTH, 1.5);
    stack_sleep(0.3);
    struct load_result r;
    load_stop(load, &r);

    cr_assert_geq(replaced, 0, "the %d workers were not all replaced within 1.5 s", n);
    cr_assert_geq(served, 0, "no 200 within 1.5 s of killing every worker");
    cr_assert(stack_process_alive(master), "the master died");
    assert_load_healthy(&r);
}

/* The counters live in the master's shared mapping: a killed worker is counted as a crash and
 * takes none of them with it. Fault tests run one at a time, so the figures are exact. */
Test(worker_kill, restart_is_counted_and_request_counters_survive, .timeout = 30)
{
    pid_t workers[STACK_WORKERS_MAX];
    int n;
    pid_t master = steady_workers(workers, &n);
    struct client c;
    client_init(&c);
    for (int i = 0; i < 2 * n; i++) { /* enough to reach every worker */
        struct reply *r = client_send(&c, "GET", HEALTH, NULL, NULL);
        cr_assert_eq(r->status, 200);
        reply_free(r);
    }
    const char *health = "route=\"" HEALTH "\",method=\"GET\",status=\"200\"";
    struct pt_doc *before = pt_scrape();
    double crashes = pt_value(before, "pli_worker_restarts_total", "reason=\"crash\"", -1);
    double served = pt_value(before, "pli_http_requests_total", health, 0);
    cr_assert_geq(crashes, 0);
    cr_assert_geq(served, 2 * n);
    pt_free(before);

    pid_t victim = workers[0];
    cr_assert_eq(kill(victim, SIGKILL), 0);
    cr_assert_geq(stack_wait_children(master, n, &victim, 1, 1.0, NULL), 0,
                  "worker %d was not replaced within 1 s", (int)victim);
    struct pt_doc *after = pt_scrape();
    cr_assert_eq(pt_value(after, "pli_worker_restarts_total", "reason=\"crash\"", -1),
                 crashes + 1);
    cr_assert_eq(pt_value(after, "pli_http_requests_total", health, 0), served,
                 "the requests counted before the kill are kept");
    pt_free(after);
}

/* libfcgi's CVE-2025-23016 (a PARAMS record whose name and value lengths make ReadParams'
 * allocation wrap around) against pli-fcgi's socket: only root and nginx's user may connect,
 * and a worker that receives the crafted request and dies is replaced while service goes on. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/fcgi_crafted.h"
#include "support/fcgi_raw.h"
#include "support/load.h"
#include "support/stack.h"

#define HEALTH "/api/v1/health"
#define NGINX_USER "www-data" /* scripts/lib/stack.sh: nginx's user and the socket's group */
#define OTHER_USER "nobody"

static const char *outcome_name(enum fcgi_as a)
{
    static const char *const names[] = {"connected", "refused", "unreachable", "no such user",
                                        "cannot switch user"};
    return names[a];
}

Test(fcgi_crafted, socket_refuses_users_other_than_nginx, .timeout = 30)
{
    if (geteuid() != 0)
        cr_skip_test("not root: the tests cannot act as another user (the socket is then "
                     "owned by the user running the stack, with no group access)");
    struct stat st;
    const char *path = getenv("PLI_SOCKET");
    cr_assert_not_null(path, "PLI_SOCKET is not set");
    cr_assert_eq(stat(path, &st), 0, "stat %s: %s", path, strerror(errno));
    cr_assert(S_ISSOCK(st.st_mode), "%s is not a socket", path);
    cr_assert_eq(st.st_mode & 07777, 0660, "the socket's mode is %o, expected 660",
                 (unsigned)(st.st_mode & 07777));

    int err;
    enum fcgi_as a = fcgi_connect_as(OTHER_USER, &err);
    cr_assert_eq(a, FCGI_AS_REFUSED, "as %s: %s (%s), expected the connect to be refused",
                 OTHER_USER, outcome_name(a), strerror(err));
    cr_assert_eq(err, EACCES, "as %s: connect failed with %s, expected EACCES", OTHER_USER,
                 strerror(err));

    /* The other side of the same rule: nginx's user does get in. */
    a = fcgi_connect_as(NGINX_USER, &err);
    cr_assert_eq(a, FCGI_AS_CONNECTED, "as %s: %s (%s)", NGINX_USER, outcome_name(a),
                 strerror(err));
}

Test(fcgi_crafted, overflowing_params_leave_the_service_running, .timeout = 30)
{
    pid_t master = stack_master_pid();
    int n = stack_configured_workers();
    pid_t before[STACK_WORKERS_MAX];
    cr_assert_geq(stack_wait_children(master, n, NULL, 0, 2.0, before), 0,
                  "the master does not have its %d workers before the test", n);

    int closed = fcgi_send_overflowing_params(fcgi_raw_connect(), 4096, 3.0);
    stack_sleep(0.3);
    pid_t after[STACK_WORKERS_MAX];
    double settled = stack_wait_children(master, n, NULL, 0, 2.0, after);
    int replaced = 0;
    for (int i = 0; settled >= 0 && i < n; i++)
        replaced += !stack_pid_in(after[i], before, n);
    cr_log_info("crafted request: %s; %d worker(s) replaced",
                closed == 1   ? "connection closed without an answer"
                : closed == 0 ? "answered"
                              : "no answer within 3 s",
                replaced);

    cr_assert(stack_process_alive(master), "the master died");
    cr_assert_eq(stack_master_pid(), master, "the pid file names another master");
    cr_assert_geq(settled, 0, "the master does not have %d workers 2 s after the request", n);
    cr_assert_geq(stack_wait_ok(HEALTH, 2.0), 0, "no 200 from %s through nginx", HEALTH);

    /* Every worker, including one whose heap the request may have corrupted, still answers. */
    enum { ROUNDS = 32 };
    static struct batch_request requests[ROUNDS];
    struct batch_reply replies[ROUNDS];
    for (int i = 0; i < ROUNDS; i++)
        requests[i] = (struct batch_request){"GET", HEALTH, NULL};
    load_batch(requests, replies, ROUNDS, 8, 10);
    for (int i = 0; i < ROUNDS; i++)
        cr_assert_eq(replies[i].status, 200, "health %d after the crafted request: %ld", i,
                     replies[i].status);
    cr_assert_eq(stack_children(master, after, STACK_WORKERS_MAX), n,
                 "a worker died after the crafted request");
}

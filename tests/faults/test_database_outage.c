/* PostgreSQL stopped under the service: 503 problems, then service resumes by itself. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support/client.h"
#include "support/prom.h"

static void pg_control(const char *action)
{
    const char *tool = getenv("PLI_TEST_PG_CONTROL");
    cr_assert_not_null(tool, "PLI_TEST_PG_CONTROL is not set");
    char command[1024];
    snprintf(command, sizeof(command), "'%s' %s", tool, action);
    cr_assert_eq(system(command), 0, "%s failed", command);
}

Test(faults, database_outage_gives_503_then_recovers, .timeout = 120)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);

    pg_control("stop");
    for (int i = 0; i < 8; i++) { /* enough to reach every worker */
        struct reply *r = client_send(&c, "GET", "/api/v1/health", NULL, NULL);
        cr_assert_eq(r->status, 503, "health while down: %ld %s", r->status, r->body);
        cr_assert_str_eq(reply_code(r), "database_unavailable");
        char *type = reply_header(r, "Content-Type");
        cr_assert_str_eq(type, "application/problem+json");
        free(type);
        reply_free(r);
    }
    struct reply *r = client_send(&c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 503, "me while down: %ld %s", r->status, r->body);
    reply_free(r);

    pg_control("start");
    for (int i = 0; i < 8; i++) {
        r = client_send(&c, "GET", "/api/v1/me", NULL, NULL);
        cr_assert_eq(r->status, 200, "me after restart: %ld %s", r->status, r->body);
        reply_free(r);
    }
}

/* While PostgreSQL is away, /metrics still answers from the shared counters (without the
 * figures it reads from the database) and counts the workers' failed connections. */
Test(faults, database_outage_is_counted_by_metrics, .timeout = 120)
{
    const char *unavailable = "kind=\"unavailable\"";
    struct pt_doc *d = pt_scrape();
    double before = pt_value(d, "pli_database_errors_total", unavailable, -1);
    cr_assert_geq(before, 0);
    cr_assert_eq(pt_value(d, "pli_metrics_database_up", "", -1), 1);
    pt_free(d);

    pg_control("stop");
    struct client c;
    client_init(&c);
    for (int i = 0; i < 8; i++) {
        struct reply *r = client_send(&c, "GET", "/api/v1/health", NULL, NULL);
        cr_assert_eq(r->status, 503, "health while down: %ld %s", r->status, r->body);
        reply_free(r);
    }
    d = pt_scrape();
    double during = pt_value(d, "pli_database_errors_total", unavailable, -1);
    double up = pt_value(d, "pli_metrics_database_up", "", -1);
    bool has_jobs = pt_type(d, "pli_job_queue_jobs") != NULL;
    pt_free(d);
    pg_control("start");

    cr_assert_geq(during, before + 8, "unavailable: %g before, %g while down", before, during);
    cr_assert_eq(up, 0);
    cr_assert_not(has_jobs, "figures of the database while it was away");
    d = pt_scrape();
    cr_assert_eq(pt_value(d, "pli_metrics_database_up", "", -1), 1);
    pt_free(d);
}

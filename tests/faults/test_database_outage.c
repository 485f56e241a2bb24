/* PostgreSQL stopped under the service: 503 problems, then service resumes by itself. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support/client.h"

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

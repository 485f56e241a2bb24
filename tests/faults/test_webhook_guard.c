/* pli-jobs restarted without PLI_WEBHOOK_ALLOW_LOOPBACK (the production default): an endpoint
 * whose host is a name that resolves to loopback ("localhost", which the API takes since it is
 * no literal address) is refused when the connection is opened. Every attempt is logged with
 * the refusal and the message fails after the last; the receiver, whose certificate names
 * localhost and which would have taken the webhook, gets nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/deliveries.h"
#include "support/jobs_proc.h"
#include "support/letters.h"
#include "support/stack.h"
#include "support/testdb.h"
#include "support/webhook_receiver.h"

/* The attempts of a message on the test stack's schedule (1 + 7 retries). */
#define ATTEMPTS 8
#define WAIT_SECONDS 60.0

/* Leaves the stack's runner running with the test stack's settings (loopback allowed). */
static void runner_with_defaults(void)
{
    unsetenv("PLI_WEBHOOK_ALLOW_LOOPBACK");
    jobs_control("stop");
    jobs_control("start");
}

static long attempts_where(const char *endpoint, const char *condition)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM webhook_attempts WHERE endpoint_id = $1%s",
             condition);
    const char *params[] = {endpoint};
    return testdb_long(sql, 1, params);
}

Test(webhook_guard, a_name_resolving_to_loopback_is_refused_at_connect_time, .timeout = 180,
     .fini = runner_with_defaults)
{
    /* Empty: the runner's setting is unset, whatever the stack's scripts would export. */
    setenv("PLI_WEBHOOK_ALLOW_LOOPBACK", "", 1);
    jobs_control("stop");
    jobs_control("start");

    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    lt_payment_method(&admin.c, team);
    char name[WR_NAME_MAX], ignored[WR_URL_MAX], url[WR_URL_MAX];
    wr_new_path(name, ignored);
    snprintf(url, sizeof(url), "https://localhost:%d/hooks/%s",
             stack_env_port("PLI_WEBHOOK_RECEIVER_PORT"), name);
    struct reply *r = client_json(&admin.c, "POST",
                                  lt_path("/api/v1/teams/%s/webhook-endpoints", team),
                                  "{s:s, s:[s]}", "url", url, "events", "letter.sending");
    cr_assert_eq(r->status, 201, "a name is taken by the API: %ld %s", r->status, r->body);
    char endpoint[LT_ID_MAX];
    snprintf(endpoint, sizeof(endpoint), "%s", lt_str(r->json, "id"));
    wr_register(name, lt_str(r->json, "secret"), NULL);
    reply_free(r);

    char email[160];
    dl_unique_email(email, sizeof(email), "destinataire", "example.test");
    struct dl_letter letter;
    dl_send_to(&admin.c, team, "simple", email, &letter);

    const char *params[] = {endpoint};
    const char *failed = "SELECT count(*) FROM webhook_messages WHERE endpoint_id = $1 "
                         "AND status = 'failed'";
    double deadline = stack_now() + WAIT_SECONDS;
    while (testdb_long(failed, 1, params) == 0 && stack_now() < deadline)
        stack_sleep(0.2);
    cr_assert_eq(testdb_long(failed, 1, params), 1, "the message did not fail in %.0f s",
                 WAIT_SECONDS);
    cr_assert_eq(attempts_where(endpoint, ""), ATTEMPTS);
    cr_assert_eq(attempts_where(endpoint, " AND http_status IS NULL AND error = "
                                          "'refused to connect to a loopback address'"),
                 ATTEMPTS, "an attempt was not refused by the guard");
    json_t *requests = wr_requests(name);
    cr_assert_eq(json_array_size(requests), 0, "the receiver got %zu webhook(s)",
                 json_array_size(requests));
    json_decref(requests);
}

/* nginx limits requests per address on /api/v1/auth/ (scripts/test: 50 r/s, burst 100). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "support/client.h"
#include "support/load.h"
#include "support/stack.h"

#define BURST_REQUESTS 400
#define HEALTH_EVERY 8 /* one GET /api/v1/health among every 8 requests */

static const struct batch_request login = {"POST", "/api/v1/auth/login", "{"};
static const struct batch_request health = {"GET", "/api/v1/health", NULL};

/* Fires the burst; returns the replies (caller frees). */
static struct batch_reply *burst(struct batch_request *requests)
{
    for (int i = 0; i < BURST_REQUESTS; i++)
        requests[i] = i % HEALTH_EVERY == HEALTH_EVERY - 1 ? health : login;
    struct batch_reply *out = calloc(BURST_REQUESTS, sizeof(*out));
    cr_assert_not_null(out);
    load_batch(requests, out, BURST_REQUESTS, 32, 20);
    return out;
}

static void let_the_bucket_drain(void)
{
    stack_sleep(3.0);
}

Test(rate_limit, auth_burst_is_cut_with_429_problems, .timeout = 60)
{
    static struct batch_request requests[BURST_REQUESTS];
    struct batch_reply *out = burst(requests);
    let_the_bucket_drain(); /* before any assertion: the next test needs the limit clear */
    int limited = 0, served = 0;
    for (int i = 0; i < BURST_REQUESTS; i++) {
        const struct batch_reply *r = &out[i];
        if (requests[i].body == NULL)
            continue;
        if (r->status == 429) {
            limited++;
            cr_assert(batch_reply_is_problem(r, "rate_limited"),
                      "request %d: 429 with Content-Type '%s' and code '%s'", i,
                      r->content_type, r->code);
            cr_assert_str_neq(r->retry_after, "", "request %d: 429 without Retry-After", i);
        } else {
            cr_assert_eq(r->status, 400, "request %d: %ld, expected 400 or 429", i, r->status);
            cr_assert(batch_reply_is_problem(r, "malformed_json"),
                      "request %d: 400 with Content-Type '%s' and code '%s'", i,
                      r->content_type, r->code);
            served++;
        }
    }
    free(out);
    cr_log_info("%d logins limited, %d served", limited, served);
    cr_assert_gt(limited, 0, "no request of the burst was limited (%d served)", served);
    cr_assert_gt(served, 0, "every request of the burst was limited");
}

Test(rate_limit, other_routes_are_not_limited_during_a_burst, .timeout = 60)
{
    static struct batch_request requests[BURST_REQUESTS];
    struct batch_reply *out = burst(requests);
    let_the_bucket_drain();
    int limited = 0, checked = 0;
    for (int i = 0; i < BURST_REQUESTS; i++) {
        if (requests[i].body != NULL) {
            limited += out[i].status == 429;
            continue;
        }
        checked++;
        cr_assert_neq(out[i].status, 429, "GET /api/v1/health %d was rate limited", i);
        cr_assert_eq(out[i].status, 200, "GET /api/v1/health %d: %ld", i, out[i].status);
    }
    free(out);
    cr_assert_gt(limited, 0, "the burst was not limited, so this proves nothing");
    cr_assert_eq(checked, BURST_REQUESTS / HEALTH_EVERY);
}

Test(rate_limit, auth_is_served_again_after_the_burst, .timeout = 60)
{
    static struct batch_request requests[BURST_REQUESTS];
    struct batch_reply *out = burst(requests);
    int limited = 0;
    for (int i = 0; i < BURST_REQUESTS; i++)
        limited += out[i].status == 429;
    free(out);
    cr_assert_gt(limited, 0, "the burst was not limited, so this proves nothing");

    let_the_bucket_drain();
    struct client c;
    client_init(&c);
    static const char *const json[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/login", "{", json);
    cr_assert_neq(r->status, 429, "still limited 3 s after the burst");
    cr_assert_eq(r->status, 400, "login after the burst: %ld %s", r->status, r->body);
    cr_assert_str_eq(reply_code(r), "malformed_json");
    reply_free(r);
}

#include "support/webhook_receiver.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support/client.h"

static const char *receiver_url(void)
{
    const char *url = getenv("PLI_TEST_WEBHOOK_RECEIVER_URL");
    cr_assert(url && *url, "PLI_TEST_WEBHOOK_RECEIVER_URL is not set (run through scripts/test)");
    return url;
}

/* A client of the receiver's control API, trusting its certificate. */
static void control_client(struct client *c)
{
    client_init(c);
    c->base_url = receiver_url();
    c->ca_file = getenv("PLI_TEST_WEBHOOK_RECEIVER_CA_FILE");
    c->send_origin = false;
}

void wr_new_path(char name[WR_NAME_MAX], char url[WR_URL_MAX])
{
    char unique[128];
    client_unique_email(unique, sizeof(unique), "hook");
    size_t n = 0;
    for (const char *p = unique; *p && *p != '@' && n + 1 < WR_NAME_MAX; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_')
            name[n++] = *p;
    name[n] = '\0';
    cr_assert(n > 4, "no path name from %s", unique);
    snprintf(url, WR_URL_MAX, "%s/hooks/%s", receiver_url(), name);
}

void wr_register(const char *name, const char *secret, json_t *answers)
{
    struct client c;
    control_client(&c);
    char path[128];
    snprintf(path, sizeof(path), "/_control/paths/%s", name);
    json_t *spec = json_pack("{s:s}", "secret", secret);
    if (answers)
        json_object_set_new(spec, "answers", answers);
    char *text = json_dumps(spec, JSON_COMPACT);
    json_decref(spec);
    static const char *const type[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(&c, "PUT", path, text, type);
    free(text);
    cr_assert_eq(r->status, 200, "register %s: %ld %s", name, r->status, r->body);
    reply_free(r);
}

json_t *wr_requests(const char *name)
{
    struct client c;
    control_client(&c);
    char path[128];
    snprintf(path, sizeof(path), "/_control/paths/%s", name);
    struct reply *r = client_send(&c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "read %s: %ld %s", name, r->status, r->body);
    json_t *requests = json_incref(json_object_get(r->json, "requests"));
    cr_assert(json_is_array(requests), "%s", r->body);
    reply_free(r);
    return requests;
}

json_t *wr_wait_requests(const char *name, size_t n)
{
    struct timespec pause = {0, 100 * 1000000L};
    json_t *requests = NULL;
    for (int waited = 0; waited <= WR_WAIT_MS; waited += 100) {
        json_decref(requests);
        requests = wr_requests(name);
        if (json_array_size(requests) >= n)
            return requests;
        nanosleep(&pause, NULL);
    }
    char *seen = json_dumps(requests, JSON_INDENT(1));
    cr_assert_fail("%s received %zu webhook(s) in %d ms, expected %zu: %s", name,
                   json_array_size(requests), WR_WAIT_MS, n, seen);
    return NULL;
}

void wr_expect_all_verified(const json_t *requests)
{
    size_t i;
    const json_t *q;
    json_array_foreach (requests, i, q) {
        const char *problem = json_string_value(json_object_get(q, "problem"));
        cr_assert(json_is_true(json_object_get(q, "verified")),
                  "webhook %zu did not verify: %s", i, problem ? problem : "?");
        cr_assert_eq(strncmp(json_string_value(json_object_get(q, "webhook_id")), "msg_", 4), 0);
        cr_assert_str_eq(json_string_value(json_object_get(q, "content_type")),
                         "application/json");
        cr_assert_eq(strncmp(json_string_value(json_object_get(q, "user_agent")), "pli-", 4), 0);
        const json_t *body = json_object_get(q, "json");
        cr_assert(json_is_string(json_object_get(body, "type")), "no type in webhook %zu", i);
        cr_assert(json_is_string(json_object_get(body, "timestamp")), "no timestamp");
        cr_assert(json_is_object(json_object_get(body, "data")), "no data");
        cr_assert_eq(json_object_size(body), 3, "more than type, timestamp and data");
    }
}

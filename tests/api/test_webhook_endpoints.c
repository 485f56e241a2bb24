/* Webhook endpoints through the real stack: the secret shown once, every validation problem with
 * its code, the per-team limit, deletion; then letters sent and carried through deposit,
 * notification and acceptance produce the subscribed events only, each one posted by pli-jobs to
 * the Python receiver, which verifies it on its own (Standard Webhooks v1), with the proof's id
 * and hash as GET .../proofs/{proof} serves them; retries keep the webhook-id, 410 disables the
 * endpoint, a redirect is a failure and is not followed, the last failure fails the message, and
 * a deleted endpoint's pending messages are cancelled. Another team gets 404. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/deliveries.h"
#include "support/letters.h"
#include "support/stack.h"
#include "support/testdb.h"
#include "support/webhook_receiver.h"

/* PLI_WEBHOOK_ENDPOINTS_MAX as the test stack runs (the default). */
#define ENDPOINTS_MAX 20
/* WEBHOOK_URL_MAX and the description's limit (docs/openapi.yaml). */
#define URL_MAX 2048
#define DESCRIPTION_MAX 500
/* The attempts of a message on the test stack's schedule (1 + 7 retries). */
#define ATTEMPTS 8
/* The longest answer an endpoint may give (WEBHOOK_ANSWER_MAX, docs/openapi.yaml). */
#define ANSWER_MAX 65536

/* A team whose administrator may send letters. */
struct team {
    struct lt_user admin;
    char id[LT_ID_MAX];
};

static void team_ready(struct team *t)
{
    lt_admin(&t->admin, t->id);
    lt_payment_method(&t->admin.c, t->id);
}

static const char *endpoints_path(const char *team)
{
    return lt_path("/api/v1/teams/%s/webhook-endpoints", team);
}

/* POST .../webhook-endpoints with url and events (a JSON array, stolen). */
static struct reply *create(struct client *c, const char *team, const char *url, json_t *events)
{
    json_t *body = json_pack("{s:s, s:o}", "url", url, "events", events);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    static const char *const type[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(c, "POST", endpoints_path(team), text, type);
    free(text);
    return r;
}

/* An endpoint on a fresh receiver path subscribed to events (stolen), the receiver answering
 * answers (stolen, NULL: 200); fills id and path. */
static void endpoint(struct team *t, json_t *events, json_t *answers, char id[LT_ID_MAX],
                     char path[WR_NAME_MAX])
{
    char url[WR_URL_MAX];
    wr_new_path(path, url);
    struct reply *r = create(&t->admin.c, t->id, url, events);
    cr_assert_eq(r->status, 201, "create endpoint: %ld %s", r->status, r->body);
    snprintf(id, LT_ID_MAX, "%s", lt_str(r->json, "id"));
    wr_register(path, lt_str(r->json, "secret"), answers);
    reply_free(r);
}

static long endpoints_in_db(const char *team)
{
    const char *params[] = {team};
    return testdb_long("SELECT count(*) FROM webhook_endpoints WHERE team_id = $1", 1, params);
}

/* The endpoint's delivery log, newest first (asserts 200; caller decrefs the items). */
static json_t *delivery_log(struct team *t, const char *endpoint)
{
    struct reply *r = client_send(
        &t->admin.c, "GET",
        lt_path("/api/v1/teams/%s/webhook-endpoints/%s/deliveries", t->id, endpoint), NULL, NULL);
    cr_assert_eq(r->status, 200, "delivery log: %ld %s", r->status, r->body);
    json_t *items = json_incref(json_object_get(r->json, "items"));
    reply_free(r);
    return items;
}

/* Polls the delivery log until it has n lines. */
static json_t *wait_log(struct team *t, const char *endpoint, size_t n)
{
    json_t *items = NULL;
    for (int waited = 0; waited <= WR_WAIT_MS; waited += 100) {
        json_decref(items);
        items = delivery_log(t, endpoint);
        if (json_array_size(items) >= n)
            return items;
        stack_sleep(0.1);
    }
    cr_assert_fail("the delivery log has %zu lines, expected %zu", json_array_size(items), n);
    return NULL;
}

static const char *message_status(const char *endpoint, char out[32])
{
    const char *params[] = {endpoint};
    return testdb_text("SELECT string_agg(status, ',' ORDER BY created_at) FROM webhook_messages "
                       "WHERE endpoint_id = $1",
                       1, params, out, 32);
}

/* Polls the database until the endpoint's messages read `statuses` (comma-separated). */
static void wait_message_status(const char *endpoint, const char *statuses)
{
    char now[32];
    for (int waited = 0; waited <= WR_WAIT_MS; waited += 100) {
        if (strcmp(message_status(endpoint, now), statuses) == 0)
            return;
        stack_sleep(0.1);
    }
    cr_assert_fail("the endpoint's messages are \"%s\", not \"%s\"", now, statuses);
}

/* Sends a simple letter by e-mail: letter.sending, then its delivery's events. */
static void send_letter(struct team *t, struct dl_letter *letter)
{
    char email[160];
    dl_unique_email(email, sizeof(email), "destinataire", "example.test");
    dl_send_to(&t->admin.c, t->id, "simple", email, letter);
}

Test(webhooks_endpoints, the_secret_is_shown_once, .timeout = 60)
{
    struct team t;
    team_ready(&t);
    struct reply *r = client_json(&t.admin.c, "POST", endpoints_path(t.id), "{s:s, s:[s,s], s:s}",
                                  "url", "https://hooks.example.com/pli", "events",
                                  "letter.sending", "delivery.accepted", "description",
                                  "Logiciel de gestion du cabinet");
    cr_assert_eq(r->status, 201, "%ld %s", r->status, r->body);
    const char *secret = lt_str(r->json, "secret");
    cr_assert_eq(strncmp(secret, "whsec_", 6), 0, "%s", r->body);
    cr_assert_eq(strlen(secret), 6 + 44, "whsec_ and the base64 of 32 bytes: %s", secret);
    size_t len;
    free(lt_base64_decode(secret + 6, &len));
    cr_assert_eq(len, 32);
    cr_assert_str_eq(lt_str(r->json, "status"), "active");
    cr_assert_str_eq(lt_str(r->json, "description"), "Logiciel de gestion du cabinet");
    cr_assert_eq(json_array_size(json_object_get(r->json, "events")), 2);
    char id[LT_ID_MAX], kept[64];
    snprintf(id, sizeof(id), "%s", lt_str(r->json, "id"));
    snprintf(kept, sizeof(kept), "%s", secret);
    reply_free(r);

    r = client_send(&t.admin.c, "GET", lt_path("%s/%s", endpoints_path(t.id), id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_null(json_object_get(r->json, "secret"), "GET shows the secret: %s", r->body);
    cr_assert_null(strstr(r->body, kept + 6));
    reply_free(r);
    r = client_send(&t.admin.c, "GET", endpoints_path(t.id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "%s", r->body);
    cr_assert_null(strstr(r->body, kept + 6), "the list shows the secret");
    reply_free(r);
    /* Sealed at rest: the database holds no copy of it. */
    const char *params[] = {id, kept + 6};
    cr_assert_eq(testdb_long("SELECT count(*) FROM webhook_endpoints WHERE id = $1 "
                             "AND strpos(secret_sealed, $2) = 0",
                             2, params),
                 1);
}

/* A POST that must be refused with this status and code, creating nothing. */
static void expect_refused(struct team *t, const char *url, json_t *events, long status,
                           const char *code)
{
    long before = endpoints_in_db(t->id);
    struct reply *r = create(&t->admin.c, t->id, url, events);
    reply_expect_problem(r, status, code);
    reply_free(r);
    cr_assert_eq(endpoints_in_db(t->id), before, "a refused endpoint was stored: %s", url);
}

Test(webhooks_endpoints, validation_problems_have_their_codes, .timeout = 60)
{
    struct team t;
    team_ready(&t);
    const char *ok = "https://hooks.example.com/pli";
    expect_refused(&t, "http://hooks.example.com/pli", json_pack("[s]", "letter.sending"), 422,
                   "webhook_url_not_https");
    expect_refused(&t, "https://user:pw@hooks.example.com/", json_pack("[s]", "letter.sending"),
                   422, "webhook_url_invalid");
    expect_refused(&t, "/hooks/pli", json_pack("[s]", "letter.sending"), 422,
                   "webhook_url_invalid");
    static const char *const private_urls[] = {
        "https://10.1.2.3/", "https://192.168.1.1/", "https://172.20.0.1/",
        "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/", "https://[fd12::1]/",
        "https://[fe80::1]/", "https://224.0.0.1/", "https://0.0.0.0/",
        "https://[::ffff:10.0.0.1]/", NULL};
    for (const char *const *u = private_urls; *u; u++)
        expect_refused(&t, *u, json_pack("[s]", "letter.sending"), 422, "webhook_url_private");
    expect_refused(&t, ok, json_pack("[s]", "letter.draft"), 422, "unknown_event_type");
    expect_refused(&t, ok, json_pack("[s]", "delivery.*"), 422, "unknown_event_type");
    expect_refused(&t, ok, json_pack("[s,s]", "letter.sending", "letter.sending"), 422,
                   "unknown_event_type");
    expect_refused(&t, ok, json_pack("[]"), 422, "validation_failed");
    /* Every event type once passes; one more item (a repetition) is one too many. */
    json_t *all = json_array(), *over = json_array();
    static const char *const types[] = {
        "letter.pending_validation", "letter.sending",     "letter.rejected",
        "delivery.deposited",        "delivery.notified",  "delivery.accepted",
        "delivery.refused",          "delivery.negligence", "delivery.bounced",
        "delivery.delivered",        "delivery.returned",  "delivery.failed"};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        json_array_append_new(all, json_string(types[i]));
        json_array_append_new(over, json_string(types[i]));
    }
    json_array_append_new(over, json_string("letter.sending"));
    struct reply *every = create(&t.admin.c, t.id, ok, all);
    cr_assert_eq(every->status, 201, "every event type: %ld %s", every->status, every->body);
    reply_free(every);
    every = create(&t.admin.c, t.id, ok, over);
    lt_field_problem(every, "events", "wrong_count");
    reply_free(every);
    expect_refused(&t, ok, json_pack("[i]", 3), 422, "validation_failed");

    /* The URL's length: 2048 characters pass, 2049 do not. */
    char url[URL_MAX + 2];
    const char *head = "https://hooks.example.com/";
    size_t n = strlen(head);
    memcpy(url, head, n);
    memset(url + n, 'a', URL_MAX - n);
    url[URL_MAX] = '\0';
    struct reply *r = create(&t.admin.c, t.id, url, json_pack("[s]", "letter.sending"));
    cr_assert_eq(r->status, 201, "a URL of %d characters: %ld %s", URL_MAX, r->status, r->body);
    reply_free(r);
    url[URL_MAX] = 'a';
    url[URL_MAX + 1] = '\0';
    r = create(&t.admin.c, t.id, url, json_pack("[s]", "letter.sending"));
    lt_field_problem(r, "url", "too_long");
    reply_free(r);

    /* The description's length: 500 characters pass, 501 do not. */
    char description[DESCRIPTION_MAX + 2];
    memset(description, 'd', DESCRIPTION_MAX);
    description[DESCRIPTION_MAX] = '\0';
    r = client_json(&t.admin.c, "POST", endpoints_path(t.id), "{s:s, s:[s], s:s}", "url", ok,
                    "events", "letter.sending", "description", description);
    cr_assert_eq(r->status, 201, "%ld %s", r->status, r->body);
    reply_free(r);
    description[DESCRIPTION_MAX] = 'd';
    description[DESCRIPTION_MAX + 1] = '\0';
    r = client_json(&t.admin.c, "POST", endpoints_path(t.id), "{s:s, s:[s], s:s}", "url", ok,
                    "events", "letter.sending", "description", description);
    lt_field_problem(r, "description", "too_long");
    reply_free(r);
    cr_assert_eq(endpoints_in_db(t.id), 3);
}

Test(webhooks_endpoints, a_team_has_at_most_the_limit, .timeout = 90)
{
    struct team t;
    team_ready(&t);
    char first[LT_ID_MAX] = "";
    for (int i = 0; i < ENDPOINTS_MAX; i++) {
        struct reply *r = create(&t.admin.c, t.id, lt_path("https://hooks.example.com/%d", i),
                                 json_pack("[s]", "letter.sending"));
        cr_assert_eq(r->status, 201, "endpoint %d: %ld %s", i + 1, r->status, r->body);
        if (i == 0)
            snprintf(first, sizeof(first), "%s", lt_str(r->json, "id"));
        reply_free(r);
    }
    expect_refused(&t, "https://hooks.example.com/over", json_pack("[s]", "letter.sending"), 409,
                   "webhook_endpoints_limit");
    struct reply *r = client_send(&t.admin.c, "DELETE",
                                  lt_path("%s/%s", endpoints_path(t.id), first), NULL, NULL);
    cr_assert_eq(r->status, 204, "%ld %s", r->status, r->body);
    reply_free(r);
    r = client_send(&t.admin.c, "GET", lt_path("%s/%s", endpoints_path(t.id), first), NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    r = create(&t.admin.c, t.id, "https://hooks.example.com/again",
               json_pack("[s]", "letter.sending"));
    cr_assert_eq(r->status, 201, "after a deletion: %ld %s", r->status, r->body);
    reply_free(r);
    /* Pages of the list. */
    r = client_send(&t.admin.c, "GET", lt_path("%s?limit=15", endpoints_path(t.id)), NULL, NULL);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 15);
    char cursor[LT_ID_MAX];
    snprintf(cursor, sizeof(cursor), "%s", lt_str(r->json, "next_cursor"));
    reply_free(r);
    r = client_send(&t.admin.c, "GET",
                    lt_path("%s?limit=15&cursor=%s", endpoints_path(t.id), cursor), NULL, NULL);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), ENDPOINTS_MAX - 15);
    cr_assert(json_is_null(json_object_get(r->json, "next_cursor")), "%s", r->body);
    reply_free(r);
}

Test(webhooks_endpoints, another_team_gets_404_and_a_member_without_the_permission_403,
     .timeout = 60)
{
    struct team t, other;
    team_ready(&t);
    team_ready(&other);
    struct reply *r = create(&t.admin.c, t.id, "https://hooks.example.com/pli",
                             json_pack("[s]", "letter.sending"));
    cr_assert_eq(r->status, 201, "%ld %s", r->status, r->body);
    char id[LT_ID_MAX];
    snprintf(id, sizeof(id), "%s", lt_str(r->json, "id"));
    reply_free(r);
    /* The other team's administrator, with the victim's ids, and with its own team and the
     * victim's endpoint. */
    static const char *const suffixes[] = {"", "/deliveries"};
    for (size_t i = 0; i < 2; i++) {
        r = client_send(&other.admin.c, "GET",
                        lt_path("%s/%s%s", endpoints_path(t.id), id, suffixes[i]), NULL, NULL);
        reply_expect_problem(r, 404, "not_found");
        reply_free(r);
        r = client_send(&other.admin.c, "GET",
                        lt_path("%s/%s%s", endpoints_path(other.id), id, suffixes[i]), NULL,
                        NULL);
        reply_expect_problem(r, 404, "not_found");
        reply_free(r);
    }
    r = client_send(&other.admin.c, "DELETE", lt_path("%s/%s", endpoints_path(other.id), id),
                    NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    r = client_send(&other.admin.c, "GET", endpoints_path(t.id), NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    const char *params[] = {id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM webhook_endpoints WHERE id = $1 "
                             "AND deleted_at IS NULL",
                             1, params),
                 1);

    /* A member whose role lacks webhooks.manage; then one whose role holds it. */
    struct lt_user member, manager;
    lt_join(&t.admin.c, t.id, NULL, &member);
    r = client_send(&member.c, "GET", endpoints_path(t.id), NULL, NULL);
    reply_expect_problem(r, 403, "forbidden");
    cr_assert_str_eq(lt_str(r->json, "required"), "webhooks.manage");
    reply_free(r);
    char role[LT_ID_MAX];
    const char *const manages[] = {"webhooks.manage", NULL};
    lt_role(&t.admin.c, t.id, "Intégrations", manages, role);
    lt_join(&t.admin.c, t.id, role, &manager);
    r = client_send(&manager.c, "GET", lt_path("%s/%s", endpoints_path(t.id), id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    reply_free(r);
}

/* The request of a list whose body has this type; NULL when none has. */
static const json_t *request_of_type(const json_t *requests, const char *type)
{
    size_t i;
    const json_t *q;
    json_array_foreach (requests, i, q)
        if (strcmp(lt_str(json_object_get(q, "json"), "type"), type) == 0)
            return q;
    return NULL;
}

/* A delivery event's proof is the one the letter serves: same id, and its sha256 is the SHA-256
 * of the signed bytes GET .../proofs/{proof}?format=json gives. */
static void expect_proof_served(struct team *t, const struct dl_letter *letter,
                                const json_t *data, const char *type)
{
    cr_assert_str_eq(lt_str(data, "delivery_id"), letter->deliveries[0]);
    cr_assert_str_eq(lt_str(data, "letter_id"), letter->id);
    cr_assert_str_eq(lt_str(data, "channel"), "registered_email");
    const json_t *proof = json_object_get(data, "proof");
    json_t *served = dl_proof_json(&t->admin.c, t->id, letter->id, lt_str(proof, "id"));
    cr_assert_str_eq(lt_str(proof, "type"), type);
    size_t len;
    unsigned char *bytes = dl_proof_payload(served, &len);
    char sha256[65];
    lt_sha256_hex(bytes, len, sha256);
    free(bytes);
    cr_assert_str_eq(lt_str(proof, "sha256"), sha256, "the event's hash is not the proof's");
    cr_assert_str_eq(lt_str(proof, "sha256"), lt_str(served, "sha256"));
    json_decref(served);
}

Test(webhooks_delivery, a_registered_letter_posts_the_subscribed_events_only, .timeout = 120)
{
    struct team t;
    team_ready(&t);
    char id[LT_ID_MAX], path[WR_NAME_MAX];
    endpoint(&t, json_pack("[s,s,s]", "letter.sending", "delivery.notified", "delivery.accepted"),
             NULL, id, path);
    char email[160];
    dl_unique_email(email, sizeof(email), "destinataire", "example.test");
    struct dl_letter letter;
    dl_send_to(&t.admin.c, t.id, "lre", email, &letter);
    json_decref(
        dl_wait_status(&t.admin.c, t.id, letter.id, letter.deliveries[0], "notified"));
    char token[DL_TOKEN_MAX];
    dl_link_token(email, letter.deliveries[0], token);
    dl_answer_with_code(token, email, letter.deliveries[0], "accept");

    json_t *requests = wr_wait_requests(path, 3);
    wr_expect_all_verified(requests);
    stack_sleep(1.0); /* nothing else may follow */
    json_decref(requests);
    requests = wr_requests(path);
    cr_assert_eq(json_array_size(requests), 3, "%zu webhooks", json_array_size(requests));

    const json_t *sending = request_of_type(requests, "letter.sending");
    cr_assert_not_null(sending, "no letter.sending");
    const json_t *data = json_object_get(json_object_get(sending, "json"), "data");
    cr_assert_str_eq(lt_str(data, "letter_id"), letter.id);
    cr_assert_str_eq(lt_str(data, "status"), "sending");
    cr_assert_str_eq(lt_str(data, "subject"), "Mise en demeure");
    cr_assert_not_null(json_object_get(data, "reference"));
    cr_assert_null(json_object_get(data, "body"), "a letter event carries its body");
    cr_assert(json_is_string(json_object_get(data, "at")));

    const json_t *notified = request_of_type(requests, "delivery.notified");
    const json_t *accepted = request_of_type(requests, "delivery.accepted");
    cr_assert(notified && accepted, "missing delivery events");
    expect_proof_served(&t, &letter, json_object_get(json_object_get(notified, "json"), "data"),
                        "notification");
    expect_proof_served(&t, &letter, json_object_get(json_object_get(accepted, "json"), "data"),
                        "acceptance");
    cr_assert_str_eq(lt_str(json_object_get(json_object_get(accepted, "json"), "data"),
                            "status"),
                     "accepted");
    /* Each event its own message; nothing emitted for the deposit (not subscribed). */
    cr_assert_str_neq(lt_str(notified, "webhook_id"), lt_str(accepted, "webhook_id"));
    const char *params[] = {id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM webhook_messages WHERE endpoint_id = $1 "
                             "AND type NOT IN ('letter.sending', 'delivery.notified', "
                             "'delivery.accepted')",
                             1, params),
                 0);
    const char *deposit[] = {letter.deliveries[0]};
    cr_assert_eq(testdb_long("SELECT count(*) FROM proofs WHERE delivery_id = $1 "
                             "AND type = 'deposit'",
                             1, deposit),
                 1, "the deposit happened");
    json_t *log = wait_log(&t, id, 3);
    size_t i;
    const json_t *line;
    json_array_foreach (log, i, line) {
        cr_assert_eq(json_integer_value(json_object_get(line, "http_status")), 200);
        cr_assert_eq(json_integer_value(json_object_get(line, "attempt")), 1);
    }
    json_decref(log);
    json_decref(requests);
    wait_message_status(id, "delivered,delivered,delivered");
}

Test(webhooks_delivery, failures_are_retried_with_the_same_webhook_id, .timeout = 90)
{
    struct team t;
    team_ready(&t);
    char id[LT_ID_MAX], path[WR_NAME_MAX];
    endpoint(&t, json_pack("[s]", "letter.sending"),
             json_pack("[{s:i, s:i}]", "status", 500, "times", 2), id, path);
    struct dl_letter letter;
    send_letter(&t, &letter);
    json_t *requests = wr_wait_requests(path, 3);
    wr_expect_all_verified(requests);
    const char *webhook_id = lt_str(json_array_get(requests, 0), "webhook_id");
    for (size_t i = 0; i < 3; i++) {
        const json_t *q = json_array_get(requests, i);
        cr_assert_str_eq(lt_str(q, "webhook_id"), webhook_id, "attempt %zu", i + 1);
        cr_assert_str_eq(lt_str(q, "body"), lt_str(json_array_get(requests, 0), "body"),
                         "the body changed between attempts");
        cr_assert_eq(json_integer_value(json_object_get(q, "answered")), i < 2 ? 500 : 200);
        cr_assert(json_is_false(json_object_get(q, "duplicate")));
    }
    json_t *log = wait_log(&t, id, 3);
    cr_assert_eq(json_array_size(log), 3);
    for (size_t i = 0; i < 3; i++) {
        const json_t *line = json_array_get(log, i); /* newest first */
        cr_assert_eq(json_integer_value(json_object_get(line, "attempt")), (json_int_t)(3 - i));
        cr_assert_eq(json_integer_value(json_object_get(line, "http_status")), i == 0 ? 200 : 500);
        cr_assert_str_eq(lt_str(line, "message_id"), webhook_id);
        cr_assert_str_eq(lt_str(line, "event_type"), "letter.sending");
        cr_assert(json_integer_value(json_object_get(line, "duration_ms")) >= 0);
    }
    json_decref(log);
    json_decref(requests);
    wait_message_status(id, "delivered");
}

Test(webhooks_delivery, gone_disables_the_endpoint, .timeout = 90)
{
    struct team t;
    team_ready(&t);
    char id[LT_ID_MAX], path[WR_NAME_MAX];
    endpoint(&t, json_pack("[s]", "letter.sending"), json_pack("[{s:i}]", "status", 410), id,
             path);
    struct dl_letter letter;
    send_letter(&t, &letter);
    json_decref(wr_wait_requests(path, 1));
    wait_message_status(id, "failed");
    struct reply *r =
        client_send(&t.admin.c, "GET", lt_path("%s/%s", endpoints_path(t.id), id), NULL, NULL);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "disabled", "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "disabled_reason"), "gone");
    reply_free(r);
    json_t *log = wait_log(&t, id, 1);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(log, 0), "http_status")), 410);
    json_decref(log);
    /* No more messages for it. */
    send_letter(&t, &letter);
    stack_sleep(2.0);
    json_t *requests = wr_requests(path);
    cr_assert_eq(json_array_size(requests), 1);
    json_decref(requests);
    char statuses[32];
    cr_assert_str_eq(message_status(id, statuses), "failed");
}

Test(webhooks_delivery, a_redirect_is_a_failure_and_the_last_one_fails_the_message,
     .timeout = 120)
{
    struct team t;
    team_ready(&t);
    char target[WR_NAME_MAX], target_url[WR_URL_MAX];
    wr_new_path(target, target_url);
    wr_register(target, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", NULL);
    char id[LT_ID_MAX], path[WR_NAME_MAX];
    endpoint(&t, json_pack("[s]", "letter.sending"),
             json_pack("[{s:i, s:s}]", "status", 302, "location", target_url), id, path);
    struct dl_letter letter;
    send_letter(&t, &letter);
    json_t *requests = wr_wait_requests(path, ATTEMPTS);
    wr_expect_all_verified(requests);
    json_decref(requests);
    wait_message_status(id, "failed");
    json_t *log = wait_log(&t, id, ATTEMPTS);
    cr_assert_eq(json_array_size(log), ATTEMPTS);
    size_t i;
    const json_t *line;
    json_array_foreach (log, i, line) {
        cr_assert_eq(json_integer_value(json_object_get(line, "http_status")), 302);
        cr_assert_str_eq(lt_str(line, "error"), "redirects are not followed");
    }
    json_decref(log);
    stack_sleep(1.5); /* no ninth attempt */
    requests = wr_requests(path);
    cr_assert_eq(json_array_size(requests), ATTEMPTS);
    json_decref(requests);
    requests = wr_requests(target);
    cr_assert_eq(json_array_size(requests), 0, "the redirect was followed");
    json_decref(requests);
}

Test(webhooks_delivery, deleting_an_endpoint_cancels_its_pending_messages, .timeout = 90)
{
    struct team t;
    team_ready(&t);
    char id[LT_ID_MAX], path[WR_NAME_MAX];
    endpoint(&t, json_pack("[s]", "letter.sending"), json_pack("[{s:i}]", "status", 503), id,
             path);
    struct dl_letter letter;
    send_letter(&t, &letter);
    json_decref(wait_log(&t, id, 1)); /* the first attempt failed; the next one waits */
    struct reply *r = client_send(&t.admin.c, "DELETE",
                                  lt_path("%s/%s", endpoints_path(t.id), id), NULL, NULL);
    cr_assert_eq(r->status, 204, "%ld %s", r->status, r->body);
    reply_free(r);
    char statuses[32];
    cr_assert_str_eq(message_status(id, statuses), "cancelled");
    const char *params[] = {id};
    stack_sleep(1.5); /* an attempt under way when the endpoint went is still logged */
    long attempts =
        testdb_long("SELECT count(*) FROM webhook_attempts WHERE endpoint_id = $1", 1, params);
    stack_sleep(3.0); /* the schedule would have tried twice more by now */
    cr_assert_eq(testdb_long("SELECT count(*) FROM webhook_attempts WHERE endpoint_id = $1", 1,
                             params),
                 attempts, "an attempt after the deletion");
    json_t *requests = wr_requests(path);
    cr_assert_leq(json_array_size(requests), (size_t)attempts);
    json_decref(requests);
    send_letter(&t, &letter);
    cr_assert_eq(testdb_long("SELECT count(*) FROM webhook_messages WHERE endpoint_id = $1", 1,
                             params),
                 1, "a message for a deleted endpoint");
    r = client_send(&t.admin.c, "GET",
                    lt_path("%s/%s/deliveries", endpoints_path(t.id), id), NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(webhooks_delivery, an_answer_over_the_limit_is_a_failure, .timeout = 90)
{
    struct team t;
    team_ready(&t);
    char id[LT_ID_MAX], path[WR_NAME_MAX];
    endpoint(&t, json_pack("[s]", "letter.sending"),
             json_pack("[{s:i, s:i, s:i}, {s:i, s:i}]", "status", 200, "body_bytes",
                       ANSWER_MAX + 1, "times", 1, "status", 200, "body_bytes", ANSWER_MAX),
             id, path);
    struct dl_letter letter;
    send_letter(&t, &letter);
    wait_message_status(id, "delivered");
    json_t *log = wait_log(&t, id, 2);
    cr_assert_eq(json_array_size(log), 2);
    const json_t *over = json_array_get(log, 1), *at_limit = json_array_get(log, 0);
    cr_assert(json_is_null(json_object_get(over, "http_status")), "an answer over the limit");
    char expected[64];
    snprintf(expected, sizeof(expected), "the answer is longer than %d bytes", ANSWER_MAX);
    cr_assert_str_eq(lt_str(over, "error"), expected);
    cr_assert_eq(json_integer_value(json_object_get(at_limit, "http_status")), 200);
    cr_assert(json_is_null(json_object_get(at_limit, "error")));
    json_decref(log);
}

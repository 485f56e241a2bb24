/* GET /metrics: the exposition read with a strict parser (support/prom.h), requests counted by
 * route pattern, method and status, latency histograms, the e-mails, POP3 polls and messages
 * pli-jobs counts, deliveries and the job queue read at scrape time, and the refusal of any
 * address outside PLI_METRICS_ALLOW by nginx and by pli-fcgi itself. Tests run in parallel on
 * one stack: where other tests may add to a series the checks are lower bounds; where only this
 * file's test can (HEAD of /metrics, its refusals, its own job kind) they are exact. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "support/client.h"
#include "support/fcgi_raw.h"
#include "support/letters.h"
#include "support/mailboxes.h"
#include "support/maildir.h"
#include "support/prom.h"
#include "support/stack.h"
#include "support/teams.h"
#include "support/testdb.h"

/* How long a counter of pli-jobs may take to move after what it counts is visible. */
#define METRICS_WAIT_SECONDS 30.0

#define REQUESTS "pli_http_requests_total"
#define LATENCY_COUNT "pli_http_request_duration_seconds_count"

static const char *series(const char *route, const char *method, const char *status)
{
    static char text[4][256];
    static int next;
    char *out = text[next++ % 4];
    if (status)
        snprintf(out, 256, "route=\"%s\",method=\"%s\",status=\"%s\"", route, method, status);
    else
        snprintf(out, 256, "route=\"%s\",method=\"%s\"", route, method);
    return out;
}

/* Scrapes until name{labels} reaches at least `at_least`; returns the value last read. */
static double wait_at_least(const char *name, const char *labels, double at_least)
{
    double value = 0, deadline = stack_now() + METRICS_WAIT_SECONDS;
    for (;;) {
        struct pt_doc *d = pt_scrape();
        value = pt_value(d, name, labels, 0);
        pt_free(d);
        if (value >= at_least || stack_now() > deadline)
            return value;
        stack_sleep(0.2);
    }
}

Test(metrics, exposition_is_strict_prometheus_text)
{
    struct pt_doc *d = pt_scrape();
    static const char *const families[][2] = {
        {"pli_http_requests_total", "counter"},
        {"pli_http_request_duration_seconds", "histogram"},
        {"pli_worker_restarts_total", "counter"},
        {"pli_database_errors_total", "counter"},
        {"pli_metrics_database_up", "gauge"},
        {"pli_job_queue_jobs", "gauge"},
        {"pli_job_queue_oldest_due_seconds", "gauge"},
        {"pli_deliveries", "gauge"},
        {"pli_emails_sent_total", "counter"},
        {"pli_emails_failed_total", "counter"},
        {"pli_pop3_polls_total", "counter"},
        {"pli_pop3_messages_archived_total", "counter"},
    };
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        const char *type = pt_type(d, families[i][0]);
        cr_assert_not_null(type, "no family %s", families[i][0]);
        cr_assert_str_eq(type, families[i][1], "%s", families[i][0]);
    }
    cr_assert_eq(d->n_families, sizeof(families) / sizeof(families[0]));
    cr_assert_eq(pt_value(d, "pli_metrics_database_up", "", -1), 1);
    cr_assert_geq(pt_value(d, "pli_worker_restarts_total", "reason=\"crash\"", -1), 0);
    cr_assert_geq(pt_value(d, "pli_worker_restarts_total", "reason=\"roll\"", -1), 0);
    static const char *const kinds[] = {"conflict", "invalid", "retry", "unavailable", "error"};
    for (size_t i = 0; i < 5; i++) {
        char labels[64];
        snprintf(labels, sizeof(labels), "kind=\"%s\"", kinds[i]);
        cr_assert_geq(pt_value(d, "pli_database_errors_total", labels, -1), 0, "%s", labels);
    }
    /* The stack answered its health checks before any test: that route has a histogram. */
    cr_assert_gt(pt_value(d, LATENCY_COUNT, series("/api/v1/health", "GET", NULL), 0), 0);
    pt_free(d);
}

Test(metrics, requests_are_counted_by_route_method_and_status)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX], unmatched[96];
    teams_admin(&admin, team);
    snprintf(unmatched, sizeof(unmatched), "/api/v1/no-such-route-%s", team);
    const char *charges = "/api/v1/teams/{team}/charges";
    struct pt_doc *before = pt_scrape();

    struct {
        const char *path;
        long status;
        int times;
    } calls[] = {
        {tpath("/api/v1/teams/%s/charges", team), 200, 3},
        {"/api/v1/teams/00000000-0000-4000-8000-000000000000/charges", 404, 2},
        {tpath("/api/v1/teams/%s/charges?month=2025-13", team), 422, 4},
        {unmatched, 404, 1},
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
        for (int k = 0; k < calls[i].times; k++) {
            struct reply *r = client_send(&admin.c, "GET", calls[i].path, NULL, NULL);
            cr_assert_eq(r->status, calls[i].status, "GET %s: %ld %s", calls[i].path, r->status,
                         r->body);
            reply_free(r);
        }
    struct client anonymous;
    client_init(&anonymous);
    for (int k = 0; k < 2; k++) { /* only this test sends HEAD to /metrics */
        struct reply *r = client_send(&anonymous, "HEAD", "/metrics", NULL, NULL);
        cr_assert_eq(r->status, 200);
        cr_assert_eq(r->body_len, 0);
        reply_free(r);
    }
    struct pt_doc *after = pt_scrape();

    static const char *const statuses[] = {"200", "404", "422"};
    const double sent[] = {3, 2, 4};
    for (size_t i = 0; i < 3; i++) {
        const char *s = series(charges, "GET", statuses[i]);
        cr_assert_geq(pt_value(after, REQUESTS, s, 0) - pt_value(before, REQUESTS, s, 0), sent[i],
                      "%s", s);
    }
    const char *h = series(charges, "GET", NULL);
    cr_assert_geq(pt_value(after, LATENCY_COUNT, h, 0) - pt_value(before, LATENCY_COUNT, h, 0), 9);
    const char *head = series("/metrics", "HEAD", "200");
    cr_assert_eq(pt_value(after, REQUESTS, head, 0) - pt_value(before, REQUESTS, head, 0), 2);
    const char *head_h = series("/metrics", "HEAD", NULL);
    cr_assert_eq(
        pt_value(after, LATENCY_COUNT, head_h, 0) - pt_value(before, LATENCY_COUNT, head_h, 0), 2);
    const char *none = series("unmatched", "GET", "404");
    cr_assert_geq(pt_value(after, REQUESTS, none, 0) - pt_value(before, REQUESTS, none, 0), 1);
    /* Labels are patterns: the ids and the unknown path itself appear nowhere. */
    for (size_t i = 0; i < after->n; i++)
        cr_assert_null(strstr(after->samples[i].labels, team), "%s{%s}", after->samples[i].name,
                       after->samples[i].labels);
    pt_free(before);
    pt_free(after);
}

Test(metrics, an_invitation_email_moves_the_sent_counter, .timeout = 60)
{
    const char *sent = "kind=\"invitation\"";
    struct pt_doc *before = pt_scrape();
    double start = pt_value(before, "pli_emails_sent_total", sent, 0);
    pt_free(before);
    struct teams_user admin;
    char team[TEAMS_ID_MAX], email[128], invitation[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX];
    teams_admin(&admin, team);
    client_unique_email(email, sizeof(email), "metrics-invited");
    teams_invite(&admin.c, team, email, NULL, invitation);
    teams_wait_token(email, invitation, 1, token);
    cr_assert_geq(wait_at_least("pli_emails_sent_total", sent, start + 1), start + 1);
}

Test(metrics, a_pop3_poll_moves_the_poll_and_archive_counters, .timeout = 150)
{
    struct pt_doc *before = pt_scrape();
    double polls = pt_value(before, "pli_pop3_polls_total", "result=\"done\"", 0);
    double archived = pt_value(before, "pli_pop3_messages_archived_total", "", 0);
    pt_free(before);
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, "implicit", 1, &box);
    mb_drop_mail(&box, "client@example.com", NULL, "Counted", "metrics-poll@example.com", NULL,
                 "One message to archive.");
    cr_assert_eq(mb_poll_until(&admin.c, &box, 1), 1);
    cr_assert_geq(wait_at_least("pli_pop3_polls_total", "result=\"done\"", polls + 1), polls + 1);
    cr_assert_geq(wait_at_least("pli_pop3_messages_archived_total", "", archived + 1),
                  archived + 1);
}

Test(metrics, deliveries_by_channel_and_status_count_a_letter, .timeout = 120)
{
    struct pt_doc *before = pt_scrape();
    double start = pt_sum(before, "pli_deliveries", "channel=\"registered_email\"");
    pt_free(before);
    struct lt_scene s;
    lt_scene(&s);
    json_decref(lt_validated_letter(&s, 1, 0)); /* one contact of a group and two more */
    long mine = testdb_long("SELECT count(*) FROM deliveries WHERE letter_id = $1", 1,
                            (const char *[]){s.letter});
    cr_assert_eq(mine, 3);
    /* Registered e-mails rest at notified until the recipient answers: a status that stays. */
    double deadline = stack_now() + METRICS_WAIT_SECONDS;
    while (testdb_long("SELECT count(*) FROM deliveries WHERE letter_id = $1 AND status = "
                       "'notified'",
                       1, (const char *[]){s.letter}) < 3) {
        cr_assert_lt(stack_now(), deadline, "the letter's deliveries were not all notified");
        stack_sleep(0.2);
    }
    struct pt_doc *after = pt_scrape();
    cr_assert_geq(pt_sum(after, "pli_deliveries", "channel=\"registered_email\"") - start, 3);
    cr_assert_geq(
        pt_value(after, "pli_deliveries", "channel=\"registered_email\",status=\"notified\"", 0),
        3);
    pt_free(after);
}

/* A job kind of this test only (pli-jobs runs none of it): two queued, one due five minutes ago
 * and one in an hour, and one dead. */
Test(metrics, the_job_queue_shows_depth_and_oldest_due_by_kind)
{
    char kind[64], labels[128];
    unsigned char rnd[6];
    FILE *f = fopen("/dev/urandom", "rb");
    cr_assert(f && fread(rnd, 1, sizeof(rnd), f) == sizeof(rnd));
    fclose(f);
    snprintf(kind, sizeof(kind), "metrics_probe_%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
             rnd[3], rnd[4], rnd[5]);
    const char *params[] = {kind};
    PQclear(testdb_exec("INSERT INTO jobs (kind, run_at, state) VALUES "
                        "($1, now() - interval '300 seconds', 'queued'), "
                        "($1, now() + interval '1 hour', 'queued'), ($1, now(), 'dead')",
                        1, params));
    struct pt_doc *d = pt_scrape();
    PQclear(testdb_exec("DELETE FROM jobs WHERE kind = $1", 1, params));
    snprintf(labels, sizeof(labels), "kind=\"%s\",state=\"queued\"", kind);
    cr_assert_eq(pt_value(d, "pli_job_queue_jobs", labels, 0), 2);
    snprintf(labels, sizeof(labels), "kind=\"%s\",state=\"dead\"", kind);
    cr_assert_eq(pt_value(d, "pli_job_queue_jobs", labels, 0), 1);
    snprintf(labels, sizeof(labels), "kind=\"%s\",state=\"running\"", kind);
    cr_assert_eq(pt_value(d, "pli_job_queue_jobs", labels, -1), -1);
    snprintf(labels, sizeof(labels), "kind=\"%s\"", kind);
    double age = pt_value(d, "pli_job_queue_oldest_due_seconds", labels, -1);
    cr_assert(age >= 300 && age < 360, "oldest due: %g", age);
    pt_free(d);

    d = pt_scrape();
    cr_assert_eq(pt_sum(d, "pli_job_queue_jobs", kind), 0, "the kind is gone");
    cr_assert_eq(pt_value(d, "pli_job_queue_oldest_due_seconds", labels, -1), -1);
    pt_free(d);
}

/* The start of a body: what fits in buf, the rest read and dropped. */
struct body_start {
    char *buf;
    size_t size, len;
};

static size_t keep_start(char *data, size_t size, size_t n, void *userdata)
{
    struct body_start *b = userdata;
    size_t room = b->size - 1 - b->len, take = size * n < room ? size * n : room;
    memcpy(b->buf + b->len, data, take);
    b->len += take;
    b->buf[b->len] = '\0';
    return size * n;
}

/* GET path from the source address `from` (a loopback address other than 127.0.0.1 is enough to
 * be someone else for nginx); fills the Content-Type and the body's start. */
static long get_from(const char *from, const char *path, char *type, size_t type_size, char *body,
                     size_t body_size)
{
    CURL *curl = curl_easy_init();
    cr_assert_not_null(curl);
    char url[256];
    snprintf(url, sizeof(url), "%s%s", client_base_url(), path);
    struct body_start out = {body, body_size, 0};
    body[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_INTERFACE, from);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_start);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    CURLcode rc = curl_easy_perform(curl);
    cr_assert_eq(rc, CURLE_OK, "GET %s from %s: %s", path, from, curl_easy_strerror(rc));
    long status = 0;
    char *ct = NULL;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(type, type_size, "%s", ct ? ct : "");
    curl_easy_cleanup(curl);
    return status;
}

/* The location nginx was given for /metrics, from the configuration the stack rendered. */
static void rendered_metrics_location(char *out, size_t size)
{
    const char *runtime = getenv("PLI_TEST_RUNTIME");
    cr_assert_not_null(runtime, "PLI_TEST_RUNTIME is not set");
    char path[1024];
    snprintf(path, sizeof(path), "%s/nginx/nginx.conf", runtime);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot read %s", path);
    static char conf[65536];
    size_t n = fread(conf, 1, sizeof(conf) - 1, f);
    fclose(f);
    conf[n] = '\0';
    const char *start = strstr(conf, "location = /metrics {");
    cr_assert_not_null(start, "no location for /metrics in %s", path);
    size_t len = strcspn(start, "}");
    snprintf(out, size, "%.*s", (int)len, start);
}

Test(metrics, addresses_outside_the_allow_list_are_refused)
{
    /* nginx: the default list is 127.0.0.1 and ::1, then everyone else is denied. */
    char location[1024];
    rendered_metrics_location(location, sizeof(location));
    const char *allow4 = strstr(location, "allow 127.0.0.1;");
    const char *allow6 = strstr(location, "allow ::1;");
    const char *deny = strstr(location, "deny all;");
    cr_assert(allow4 && allow6 && deny && allow4 < deny && allow6 < deny, "%s", location);
    int allows = 0;
    for (const char *p = location; (p = strstr(p, "allow ")); p++)
        allows++;
    cr_assert_eq(allows, 2, "%s", location);

    char type[128], body[2048];
    long status = get_from("127.0.0.2", "/metrics", type, sizeof(type), body, sizeof(body));
    cr_assert_eq(status, 403, "from 127.0.0.2: %ld %s", status, body);
    cr_assert_str_eq(type, "application/problem+json");
    json_t *problem = json_loads(body, 0, NULL);
    cr_assert_not_null(problem, "%s", body);
    cr_assert_str_eq(json_string_value(json_object_get(problem, "code")), "forbidden");
    json_decref(problem);
    status = get_from("127.0.0.1", "/metrics", type, sizeof(type), body, sizeof(body));
    cr_assert_eq(status, 200, "from 127.0.0.1: %ld", status);
    cr_assert(strncmp(body, "# HELP pli_", 11) == 0, "from 127.0.0.1: %s", body);

    /* pli-fcgi itself, straight on its socket (only this test sends it foreign addresses). */
    struct pt_doc *before = pt_scrape();
    static const char *const refused[] = {"10.1.2.3", "127.0.0.2", "::ffff:10.0.0.1", "fe80::1",
                                          "not an address"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        cr_assert_eq(fcgi_raw_get_from(fcgi_raw_connect(), "/metrics", refused[i], 10), 403,
                     "REMOTE_ADDR %s", refused[i]);
    static const char *const allowed[] = {"127.0.0.1", "::1", "::ffff:127.0.0.1"};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        cr_assert_eq(fcgi_raw_get_from(fcgi_raw_connect(), "/metrics", allowed[i], 10), 200,
                     "REMOTE_ADDR %s", allowed[i]);
    struct pt_doc *after = pt_scrape();
    const char *s = series("/metrics", "GET", "403");
    cr_assert_eq(pt_value(after, REQUESTS, s, 0) - pt_value(before, REQUESTS, s, 0), 5);
    pt_free(before);
    pt_free(after);
}

/* What scripts/lib/stack.sh renders for nginx from a PLI_METRICS_ALLOW list, into out; returns
 * the shell's exit status. */
static int render_allow(const char *list, char *out, size_t size)
{
    const char *tool = getenv("PLI_TEST_JOBS_CONTROL"); /* in scripts/lib, beside stack.sh */
    cr_assert(tool && strrchr(tool, '/'), "PLI_TEST_JOBS_CONTROL is not set");
    char dir[1024], command[3072];
    snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(tool, '/') - tool), tool);
    snprintf(command, sizeof(command),
             "bash -c 'source \"%s/common.sh\" && source \"%s/stack.sh\" && "
             "stack_metrics_allow' 2>/dev/null",
             dir, dir);
    cr_assert_eq(setenv("PLI_METRICS_ALLOW", list, 1), 0);
    FILE *p = popen(command, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(metrics, the_allow_list_is_rendered_for_nginx_and_checked)
{
    char out[1024];
    cr_assert_eq(render_allow("  10.0.0.0/8 2001:db8::/32\t::1 ", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "allow 10.0.0.0/8; allow 2001:db8::/32; allow ::1;\n");
    static const char *const refused[] = {
        "", "  ", "127.0.0.1;deny", "10.0.0.0/8 all", "127.0.0.1 }", "1.2.3.4/8/8", "|x"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        cr_assert_neq(render_allow(refused[i], out, sizeof(out)), 0, "'%s' rendered: %s",
                      refused[i], out);
        cr_assert_str_eq(out, "", "'%s' rendered: %s", refused[i], out);
    }
}

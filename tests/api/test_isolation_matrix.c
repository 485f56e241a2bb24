/* The isolation matrix: walks the route table compiled into the service and calls every route
 * of a team with the real ids of another team (404, as for a team that does not exist), every
 * route that needs a permission as a member who holds none (403 naming what is missing), every
 * route of a matter's client users as anyone but them (404) and every member route of an office
 * as its client user (404), every route of an archive mailbox as a member of its team who
 * neither owns it nor was given it (404), and every route outside teams that names an id with
 * the victim's ids as an unrelated user. The rows of the victim firm, of the victim office and
 * of the firm's client companies in every table that has a team_id column (or a column ending
 * in _team_id) are fingerprinted before and after, with the jobs queued for the victim's
 * mailbox and the e-mails its test route could send: nothing may change. A route that names a
 * parameter this file does not know fails the test, so that a new route is covered when it is
 * added. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fcgi/router.h"
#include "lib/permissions.h"
#include "support/client.h"
#include "support/maildir.h"
#include "support/pop3.h"
#include "support/stack.h"
#include "support/teams.h"
#include "support/testdb.h"

#define MATRIX_PATH_MAX 512
#define MATRIX_PRINT_MAX 32768
#define MATRIX_SENT_WAIT_MS 15000
/* How long the victim's message may take to be polled, read and rendered to PDF (pli-jobs, on
 * a machine shared with the other tests). */
#define MATRIX_MESSAGE_WAIT_MS 60000
/* The VAT period the matrix names: one the client user has not completed, so that a call let
 * through would add a row (and an e-mail) the fingerprint sees, rather than answer 200 about
 * the completed one. */
#define MATRIX_PERIOD "2025-Q1"
#define OFFICE_COMPLETED_PERIOD "2024-Q4"

/* A firm holding one object of every kind a path can name, and an administrator of another
 * team. The member's custom role carries no permission at all.
 *
 * The firm has three clients: the principal and the secondary companies created by users of
 * their own (so that the principal's administrator can answer requests), and a company space
 * pli created for the third client, still waiting for its administrator. The principal accepted
 * the partnership and the link principal <- secondary (the link); the partnership with the
 * secondary and the link principal <- invited space still wait (so that a route answering them
 * wrongly would show). The document is shared with the principal.
 *
 * Office routes on a firm answer 409 not_an_office before they look at any id, so the victim
 * also has an office (created by the same administrator), holding one object of every kind
 * its routes name: see victim_office.
 *
 * The firm also has an archive mailbox of its administrator, shared with the member, holding
 * one message: see victim_mailbox. The colleague, a second member with the same role, neither
 * owns it nor was given it. */
struct victim {
    struct teams_user admin, member, attacker, principal_admin, secondary_admin;
    struct teams_user colleague;     /* in the firm, same role as the member, no grant */
    struct teams_user office_member; /* in the office, with a role carrying no permission */
    struct teams_user client_user;   /* active client user of the office's matter */
    char office[TEAMS_ID_MAX], office_role[TEAMS_ID_MAX], client_group[TEAMS_ID_MAX];
    char matter[TEAMS_ID_MAX];       /* the client user's matter */
    char other_matter[TEAMS_ID_MAX]; /* a matter of the office without client user */
    char client_user_id[TEAMS_ID_MAX], welcome[TEAMS_TOKEN_MAX]; /* its welcome link, used */
    char team[TEAMS_ID_MAX], attacker_team[TEAMS_ID_MAX];
    char role[TEAMS_ID_MAX], invitation[TEAMS_ID_MAX], invited[128], token[TEAMS_TOKEN_MAX];
    char group[TEAMS_ID_MAX], contact[TEAMS_ID_MAX], letter[TEAMS_ID_MAX];
    char api_key[TEAMS_ID_MAX];
    char principal[TEAMS_ID_MAX], secondary[TEAMS_ID_MAX], space[TEAMS_ID_MAX]; /* companies */
    char client[TEAMS_ID_MAX], secondary_client[TEAMS_ID_MAX], space_client[TEAMS_ID_MAX];
    char partnership[TEAMS_ID_MAX];     /* principal's partner request, accepted */
    char partner_request[TEAMS_ID_MAX]; /* secondary's partner request, pending */
    char link[TEAMS_ID_MAX];            /* link request principal <- secondary, accepted */
    char link_request[TEAMS_ID_MAX];    /* link request principal <- space, pending */
    char doc[TEAMS_ID_MAX];
    struct p3_account pop3;     /* the mailbox's account on the stack's dovecot */
    char mailbox[TEAMS_ID_MAX]; /* the administrator's, shared with the member */
    char message[TEAMS_ID_MAX]; /* its one message, read and rendered to PDF */
    char mailbox_address[128];
    char test_to[128]; /* the address the matrix's test e-mails name: nothing may reach it */
    char webhook_endpoint[TEAMS_ID_MAX]; /* the firm's, subscribed to letter events */
};

static void expect_created(struct reply *r, const char *what, char id[TEAMS_ID_MAX])
{
    cr_assert_eq(r->status, 201, "%s: %ld %s", what, r->status, r->body);
    snprintf(id, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    cr_assert(id[0], "%s: no id in %s", what, r->body);
    reply_free(r);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The e-mail job writes sent_at after the invitation e-mail went out: wait for it, so that the
 * fingerprint does not see the job's write. */
static void wait_invitations_sent(const char *team)
{
    const char *params[] = {team};
    for (int waited = 0; waited < MATRIX_SENT_WAIT_MS; waited += 50) {
        if (testdb_long("SELECT count(*) FROM invitations WHERE team_id = $1 AND sent_at IS NULL",
                        1, params) == 0)
            return;
        sleep_ms(50);
    }
    cr_assert_fail("invitations of team %s still unsent after %d ms", team, MATRIX_SENT_WAIT_MS);
}

/* Signs up a new user who creates a company team named `name`; fills u and team. */
static void company_admin(struct teams_user *u, const char *name, char team[TEAMS_ID_MAX])
{
    teams_user(u);
    struct reply *r =
        client_json(&u->c, "POST", "/api/v1/teams", "{s:s, s:s}", "name", name, "kind", "company");
    expect_created(r, "create company team", team);
}

/* The firm's partner request to the company, as the firm's list shows it; asserts its status. */
static void partner_request_of(struct victim *v, const char *company, const char *status,
                               char id[TEAMS_ID_MAX])
{
    struct reply *r = client_send(&v->admin.c, "GET",
                                  tpath("/api/v1/teams/%s/partner-requests", v->team), NULL, NULL);
    cr_assert_eq(r->status, 200, "list partner requests: %ld %s", r->status, r->body);
    id[0] = '\0';
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r->json, "items"), i, item)
    {
        if (strcmp(teams_str(json_object_get(item, "company"), "id"), company) != 0)
            continue;
        cr_assert_str_eq(teams_str(item, "status"), status, "partner request to %s: %s", company,
                         r->body);
        snprintf(id, TEAMS_ID_MAX, "%s", teams_str(item, "id"));
    }
    cr_assert(id[0], "no partner request to %s in %s", company, r->body);
    reply_free(r);
}

/* POSTs an answer (".../accept") with the company administrator's session; asserts the
 * request's new status. */
static void answer_request(struct client *c, const char *path, const char *status)
{
    struct reply *r = client_send(c, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "POST %s: %ld %s", path, r->status, r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), status, "POST %s: %s", path, r->body);
    reply_free(r);
}

/* The firm's clients, their partner requests, link requests and a shared document. */
static void victim_clients(struct victim *v)
{
    struct client *a = &v->admin.c;
    company_admin(&v->principal_admin, "Holding Alpha", v->principal);
    company_admin(&v->secondary_admin, "Filiale Beta", v->secondary);

    struct reply *r = client_json(a, "POST", tpath("/api/v1/teams/%s/clients", v->team),
                                  "{s:s, s:s, s:s}", "company_name", "Holding Alpha", "email",
                                  v->principal_admin.email, "company_team_id", v->principal);
    expect_created(r, "create principal client", v->client);
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/clients", v->team), "{s:s, s:s, s:s}",
                    "company_name", "Filiale Beta", "email", v->secondary_admin.email,
                    "company_team_id", v->secondary);
    expect_created(r, "create secondary client", v->secondary_client);
    char email[128];
    client_unique_email(email, sizeof(email), "space");
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/clients", v->team), "{s:s, s:s}",
                    "company_name", "Filiale Gamma", "email", email);
    cr_assert_eq(r->status, 201, "create client with a new space: %ld %s", r->status, r->body);
    snprintf(v->space_client, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    const json_t *company = json_object_get(r->json, "company");
    snprintf(v->space, TEAMS_ID_MAX, "%s", teams_str(company, "id"));
    cr_assert(v->space_client[0] && v->space[0], "client with a new space: %s", r->body);
    cr_assert_str_eq(teams_str(company, "space"), "invited", "new space: %s", r->body);
    reply_free(r);

    partner_request_of(v, v->principal, "pending", v->partnership);
    partner_request_of(v, v->secondary, "pending", v->partner_request);
    char space_request[TEAMS_ID_MAX];
    partner_request_of(v, v->space, "pending", space_request);
    answer_request(&v->principal_admin.c,
                   tpath("/api/v1/partner-requests/%s/accept", v->partnership), "accepted");

    r = client_json(a, "POST", tpath("/api/v1/teams/%s/link-requests", v->team), "{s:s, s:s}",
                    "secondary_client_id", v->secondary_client, "principal_client_id", v->client);
    expect_created(r, "create link request", v->link);
    answer_request(&v->principal_admin.c, tpath("/api/v1/link-requests/%s/accept", v->link),
                   "accepted");
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/link-requests", v->team), "{s:s, s:s}",
                    "secondary_client_id", v->space_client, "principal_client_id", v->client);
    expect_created(r, "create pending link request", v->link_request);

    static const char *const headers[] = {"Content-Type: application/pdf",
                                          "X-Filename: bilan%202024.pdf", NULL};
    static const char body[] = "%PDF-1.4\n%%EOF\n";
    r = client_send(a, "POST",
                    tpath("/api/v1/teams/%s/clients/%s/documents", v->team, v->client), body,
                    headers);
    expect_created(r, "share a document", v->doc);
}

/* Waits until pli-jobs has sent the office's e-mails (the welcome e-mail, whose job payload
 * names the team, and one job per recipient of each notification, whose payload names the
 * notification): a job still queued or running could write to the office's tables during the
 * matrix (a dead one records a failed_tasks notification), so none may be left, and none may
 * have died. */
static void wait_office_jobs(const char *office)
{
#define OFFICE_JOBS                                                                                \
    "SELECT count(*) FROM jobs j WHERE (j.payload ->> 'team_id' = $1 OR j.payload ->> "            \
    "'notification_id' IN (SELECT n.id::text FROM notifications n WHERE n.team_id = $1::uuid)) "
    const char *params[] = {office};
    int waited = 0;
    while (testdb_long(OFFICE_JOBS "AND j.state IN ('queued', 'running')", 1, params) > 0) {
        cr_assert_lt(waited, MATRIX_SENT_WAIT_MS, "jobs of office %s still pending after %d ms",
                     office, MATRIX_SENT_WAIT_MS);
        sleep_ms(50);
        waited += 50;
    }
    cr_assert_eq(testdb_long(OFFICE_JOBS "AND j.state = 'dead'", 1, params), 0,
                 "a job of office %s died", office);
    cr_assert_eq(testdb_long(OFFICE_JOBS "AND j.state = 'done'", 1, params), 4,
                 "office %s: expected 4 jobs done (the welcome e-mail, three notifications)",
                 office);
#undef OFFICE_JOBS
}

/* POSTs what a client user sends its office; asserts 201 and that a notification was emitted. */
static void client_user_sends(struct victim *v, const char *what, const char *path,
                              const char *body)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(&v->client_user.c, "POST", path, body, json_type);
    cr_assert_eq(r->status, 201, "client user: %s: %ld %s", what, r->status, r->body);
    cr_assert(json_is_string(json_object_get(r->json, "notification_id")),
              "client user: %s: no notification: %s", what, r->body);
    reply_free(r);
}

/* The victim office, created by the victim's administrator: a member whose role carries no
 * permission (the manager of the matter, hence its sender by the cascade), a client group, the
 * e-mail settings (the messages routed to the administrator, the rest by the cascade), a matter
 * (reference, name, manager, client group) with an active client user, who set the password
 * through the welcome link and then completed a VAT period, asked for another user and wrote
 * a message (three notifications), and a second matter without client user. */
static void victim_office(struct victim *v)
{
    struct client *a = &v->admin.c;
    struct reply *r = client_json(a, "POST", "/api/v1/teams", "{s:s, s:s}", "name",
                                  "Cabinet Martin", "kind", "office");
    expect_created(r, "create office", v->office);
    teams_role(a, v->office, "Sans droits", NULL, v->office_role);
    teams_join(a, v->office, v->office_role, &v->office_member);

    char email[128];
    client_unique_email(email, sizeof(email), "functional");
    r = client_json(a, "PUT", tpath("/api/v1/teams/%s/email-settings", v->office),
                    "{s:s, s:[{s:s, s:s, s:[s]}]}", "functional_email", email, "notifications",
                    "type", "messages", "configuration", "custom", "recipients", v->admin.id);
    cr_assert_eq(r->status, 200, "e-mail settings: %ld %s", r->status, r->body);
    reply_free(r);
    client_unique_email(email, sizeof(email), "group");
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/client-groups", v->office), "{s:s, s:s}",
                    "name", "Particuliers", "email", email);
    expect_created(r, "create client group", v->client_group);
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/matters", v->office),
                    "{s:s, s:s, s:s, s:s}", "reference", "DUP-2025", "name", "Dupont SARL",
                    "manager_user_id", v->office_member.id, "client_group_id", v->client_group);
    expect_created(r, "create matter", v->matter);
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/matters", v->office), "{s:s, s:s}",
                    "reference", "MAR-2025", "name", "Martin SAS");
    expect_created(r, "create second matter", v->other_matter);

    struct teams_user *cu = &v->client_user;
    client_init(&cu->c);
    client_unique_email(cu->email, sizeof(cu->email), "client");
    r = client_json(a, "POST",
                    tpath("/api/v1/teams/%s/matters/%s/client-users", v->office, v->matter),
                    "{s:s, s:s, s:s}", "email", cu->email, "first_name", "Jean", "last_name",
                    "Dupont");
    cr_assert_eq(r->status, 201, "create client user: %ld %s", r->status, r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "invited", "%s", r->body);
    snprintf(v->client_user_id, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
    char needle[160], marker[600];
    /* The Message-ID names the client user and the version of its link: the first. */
    snprintf(needle, sizeof(needle), "welcome-%s-v1@", v->client_user_id);
    char *text = maildir_wait_for(cu->email, needle, TEAMS_MAIL_WAIT_MS);
    cr_assert_not_null(text, "no welcome e-mail reached %s", cu->email);
    snprintf(marker, sizeof(marker), "%s/welcome/", client_base_url());
    cr_assert(maildir_extract_token(text, marker, v->welcome, sizeof(v->welcome)),
              "the welcome e-mail has no link starting with %s:\n%s", marker, text);
    free(text);
    r = client_json(&cu->c, "POST", tpath("/api/v1/welcome/%s/password", v->welcome), "{s:s}",
                    "password", CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "set the password through the welcome link: %ld %s", r->status,
                 r->body);
    snprintf(cu->id, sizeof(cu->id), "%s", teams_str(json_object_get(r->json, "user"), "id"));
    cr_assert(cu->id[0] && cu->c.session[0], "no user or session: %s", r->body);
    reply_free(r);

    char matter[MATRIX_PATH_MAX / 2], path[MATRIX_PATH_MAX];
    snprintf(matter, sizeof(matter), "/api/v1/teams/%s/matters/%s", v->office, v->matter);
    snprintf(path, sizeof(path), "%s/vat-periods/%s/complete", matter, OFFICE_COMPLETED_PERIOD);
    client_user_sends(v, "VAT period complete", path, NULL);
    snprintf(path, sizeof(path), "%s/user-requests", matter);
    client_unique_email(email, sizeof(email), "colleague");
    char body[512];
    snprintf(body, sizeof(body),
             "{\"email\": \"%s\", \"first_name\": \"Marie\", \"last_name\": \"Dupont\"}",
             email);
    client_user_sends(v, "user request", path, body);
    snprintf(path, sizeof(path), "%s/messages", matter);
    client_user_sends(v, "message", path,
                      "{\"subject\": \"Bilan\", \"body\": \"Les pièces sont déposées.\"}");
}

/* The item of r's "items" whose id is `id`, or NULL. */
static const json_t *item_with_id(const struct reply *r, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r->json, "items"), i, item)
    {
        if (strcmp(teams_str(item, "id"), id) == 0)
            return item;
    }
    return NULL;
}

/* The jobs naming the victim's mailbox ($1) or its message ($2), whatever their kind. The
 * fingerprint counts those with no dedupe_key: what calls queued (POST .../poll) and what
 * followed (the message's PDF). The minutely poll_mailboxes queues its polls with a dedupe_key
 * and is left out: the mailbox is switched off before the fingerprint, but a poll it queued
 * just before could still be recorded after (and finds the mailbox off: it writes nothing). */
#define MAILBOX_JOBS                                                                               \
    "SELECT count(*) FROM jobs WHERE (payload ->> 'mailbox_id' = $1 OR payload ->> "               \
    "'message_id' = $2) "

/* Waits until no job naming the victim's mailbox or message is queued or running (any kind,
 * periodic polls included: one still running could write last_polled_at), then asserts that
 * none died. */
static void wait_mailbox_jobs(const struct victim *v)
{
    const char *params[] = {v->mailbox, v->message};
    int waited = 0;
    while (testdb_long(MAILBOX_JOBS "AND state IN ('queued', 'running')", 2, params) > 0) {
        cr_assert_lt(waited, MATRIX_MESSAGE_WAIT_MS,
                     "jobs of mailbox %s still pending after %d ms", v->mailbox,
                     MATRIX_MESSAGE_WAIT_MS);
        sleep_ms(100);
        waited += 100;
    }
    cr_assert_eq(testdb_long(MAILBOX_JOBS "AND state = 'dead'", 2, params), 0,
                 "a job of mailbox %s died", v->mailbox);
}

/* The victim firm's archive mailbox: the administrator's, on an account of the stack's POP3
 * server (dovecot on 127.0.0.1, so tls "none" is allowed) and sending through the stack's SMTP
 * server (which the test e-mail shows: a test e-mail let through by mistake would arrive). A
 * message dropped on the server, polled on demand, read and rendered to PDF; the mailbox
 * shared with the member ({user} of the grant routes), then switched off.
 *
 * Switched off, because the minutely poll_mailboxes polls every active mailbox and each poll
 * rewrites mailboxes.last_polled_at: the fingerprint would change between before and after for
 * no fault of any route. Nothing is hidden from the fingerprint instead (last_polled_at
 * included): a poll does not touch a switched-off mailbox, and the jobs a route queues for it
 * (POST .../poll) are counted in the fingerprint (see fingerprint). */
static void victim_mailbox(struct victim *v)
{
    struct client *a = &v->admin.c;
    int smtp_port = stack_env_port("PLI_SMTP_PORT"); /* the stack's SMTP server */
    p3_account_new(&v->pop3, NULL);
    client_unique_email(v->mailbox_address, sizeof(v->mailbox_address), "archive");
    client_unique_email(v->test_to, sizeof(v->test_to), "intrus");
    struct reply *r = client_json(
        a, "POST", tpath("/api/v1/teams/%s/mailboxes", v->team),
        "{s:s, s:s, s:s, s:s, s:b, s:{s:s, s:i, s:s, s:s, s:s}, s:{s:s, s:i, s:s}}",
        "owner_user_id", v->admin.id, "address", v->mailbox_address, "primary_address",
        v->mailbox_address, "signature", "Cabinet Durand", "active", 1, "pop3", "host",
        p3_host(), "port", p3_port("none"), "tls", "none", "username", v->pop3.user, "password",
        v->pop3.password, "smtp", "host", "127.0.0.1", "port", smtp_port, "tls", "none");
    expect_created(r, "create mailbox", v->mailbox);
    char mailbox_path[MATRIX_PATH_MAX / 2];
    snprintf(mailbox_path, sizeof(mailbox_path), "/api/v1/teams/%s/mailboxes/%s", v->team,
             v->mailbox);

    char control[128], path[MATRIX_PATH_MAX];
    client_unique_email(control, sizeof(control), "smtp-control");
    snprintf(path, sizeof(path), "%s/test-email", mailbox_path);
    r = client_json(a, "POST", path, "{s:s}", "to", control);
    cr_assert_eq(r->status, 200, "test e-mail as the owner: %ld %s", r->status, r->body);
    cr_assert(json_is_true(json_object_get(r->json, "sent")), "test e-mail not sent: %s",
              r->body);
    reply_free(r);
    cr_assert_eq(maildir_count_for(control, TEAMS_MAIL_WAIT_MS, 1), 1,
                 "the owner's test e-mail did not reach the stack's SMTP server");

    snprintf(path, sizeof(path), "%s/grants/%s", mailbox_path, v->member.id);
    r = client_send(a, "PUT", path, NULL, NULL);
    cr_assert_eq(r->status, 204, "share the mailbox with the member: %ld %s", r->status, r->body);
    reply_free(r);

    char message[1024], name[P3_NAME_MAX];
    snprintf(message, sizeof(message),
             "From: Paul Durand <paul.durand@example.test>\r\n"
             "To: <%s>\r\n"
             "Subject: Pieces du bilan\r\n"
             "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
             "Message-ID: <matrix-%s@example.test>\r\n"
             "MIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=utf-8\r\n"
             "\r\n"
             "Bonjour,\r\n\r\nVoici les pieces du bilan.\r\n",
             v->mailbox_address, v->pop3.user);
    p3_drop_text(&v->pop3, message, name, sizeof(name));
    snprintf(path, sizeof(path), "%s/poll", mailbox_path);
    r = client_send(a, "POST", path, NULL, NULL);
    cr_assert_eq(r->status, 202, "poll the mailbox: %ld %s", r->status, r->body);
    reply_free(r);

    /* The message is listed once read; its PDF comes after (message_pdf job). */
    snprintf(path, sizeof(path), "%s/messages", mailbox_path);
    for (int waited = 0;; waited += 200) {
        r = client_send(a, "GET", path, NULL, NULL);
        cr_assert_eq(r->status, 200, "list the mailbox's messages: %ld %s", r->status, r->body);
        json_t *items = json_object_get(r->json, "items");
        cr_assert_leq(json_array_size(items), 1, "more than one message: %s", r->body);
        json_t *item = json_array_get(items, 0);
        if (item && json_is_true(json_object_get(item, "pdf"))) {
            cr_assert_str_eq(teams_str(item, "subject"), "Pieces du bilan", "%s", r->body);
            cr_assert_str_eq(teams_str(item, "folder"), "inbox", "%s", r->body);
            snprintf(v->message, sizeof(v->message), "%s", teams_str(item, "id"));
            reply_free(r);
            break;
        }
        cr_assert_lt(waited, MATRIX_MESSAGE_WAIT_MS,
                     "the message is not listed with its PDF after %d ms: %s",
                     MATRIX_MESSAGE_WAIT_MS, r->body);
        reply_free(r);
        sleep_ms(200);
    }
    cr_assert(v->message[0], "no message id");

    r = client_json(a, "PATCH", mailbox_path, "{s:b}", "active", 0);
    cr_assert_eq(r->status, 200, "switch the mailbox off: %ld %s", r->status, r->body);
    reply_free(r);
    wait_mailbox_jobs(v);
    r = client_send(a, "GET", mailbox_path, NULL, NULL);
    cr_assert_eq(r->status, 200, "read the mailbox: %ld %s", r->status, r->body);
    cr_assert(json_is_false(json_object_get(r->json, "active")), "%s", r->body);
    cr_assert(json_is_string(json_object_get(r->json, "last_polled_at")), "never polled: %s",
              r->body);
    cr_assert(json_is_null(json_object_get(r->json, "last_poll_error")), "poll failed: %s",
              r->body);
    cr_assert(teams_array_has(json_object_get(r->json, "grants"), v->member.id),
              "not shared with the member: %s", r->body);
    reply_free(r);
}

static void victim_setup(struct victim *v)
{
    teams_admin(&v->admin, v->team);
    struct client *a = &v->admin.c;
    struct reply *r = client_json(a, "PUT", tpath("/api/v1/teams/%s/payment-method", v->team),
                                  "{s:s, s:s, s:s, s:s, s:i, s:i}", "provider", "stripe", "token",
                                  "pm_card_visa_test", "brand", "visa", "last4", "4242",
                                  "exp_month", 12, "exp_year", 2099);
    cr_assert(r->status == 200 || r->status == 201, "payment method: %ld %s", r->status, r->body);
    reply_free(r);

    teams_role(a, v->team, "Sans droits", NULL, v->role);
    teams_join(a, v->team, v->role, &v->member);
    teams_join(a, v->team, v->role, &v->colleague);

    client_unique_email(v->invited, sizeof(v->invited), "matrix");
    teams_invite(a, v->team, v->invited, NULL, v->invitation);
    teams_wait_token(v->invited, v->invitation, 1, v->token);

    r = client_json(a, "POST", tpath("/api/v1/teams/%s/groups", v->team), "{s:s}", "name",
                    "Clients");
    expect_created(r, "create group", v->group);
    char email[128];
    client_unique_email(email, sizeof(email), "contact");
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/groups/%s/contacts", v->team, v->group),
                    "{s:s, s:s, s:s, s:s}", "email", email, "last_name", "Durand", "first_name",
                    "Paul", "status", "individual");
    expect_created(r, "create contact", v->contact);
    client_unique_email(email, sizeof(email), "recipient");
    r = client_json(a, "POST", tpath("/api/v1/teams/%s/letters", v->team),
                    "{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s}], s:[s]}", "kind", "lre", "subject",
                    "Convocation", "body", "Madame, Monsieur,", "recipients", "email", email,
                    "last_name", "Moreau", "first_name", "Anne", "status", "individual",
                    "group_ids", v->group);
    expect_created(r, "create draft letter", v->letter);

    client_create_api_key(a, "victim", NULL, 0, v->api_key, sizeof(v->api_key));
    cr_assert(v->api_key[0], "no API key id");

    victim_clients(v);

    victim_office(v);

    victim_mailbox(v);

    r = client_json(a, "POST", tpath("/api/v1/teams/%s/webhook-endpoints", v->team),
                    "{s:s, s:[s,s]}", "url", "https://hooks.example.com/victim", "events",
                    "letter.sending", "letter.rejected");
    expect_created(r, "create webhook endpoint", v->webhook_endpoint);

    teams_admin(&v->attacker, v->attacker_team);
    wait_invitations_sent(v->team);
    wait_invitations_sent(v->space);
    wait_invitations_sent(v->office);
    wait_office_jobs(v->office);
}

/* What a path names: one of the victim's teams and, in the office, a matter. */
struct target {
    const char *team;
    const char *matter; /* NULL: not an office route; its other ids are the firm's */
};

/* The routes of an office (they answer 409 not_an_office on a firm), by the start of their
 * pattern; a route under /api/v1/teams/{team} that is not one of them is the firm's. A new
 * office-only route under another prefix must be added here: the rightful reads check (see
 * victim_paths_reach_their_team) fails when a GET route of the firm answers not_an_office. */
static const char *const office_prefixes[] = {
    "/api/v1/teams/{team}/email-settings",
    "/api/v1/teams/{team}/client-groups",
    "/api/v1/teams/{team}/matters",
};

static bool is_office_route(const struct route *route)
{
    for (size_t i = 0; i < sizeof(office_prefixes) / sizeof(office_prefixes[0]); i++) {
        size_t len = strlen(office_prefixes[i]);
        if (strncmp(route->pattern, office_prefixes[i], len) == 0 &&
            (route->pattern[len] == '\0' || route->pattern[len] == '/'))
            return true;
    }
    return false;
}

/* The victim team a route addresses: the office (and its client user's matter) for the office
 * routes, the firm for every other route. */
static struct target victim_target(const struct victim *v, const struct route *route)
{
    if (is_office_route(route))
        return (struct target){v->office, v->matter};
    return (struct target){v->team, NULL};
}

/* The victim's member of the team a route addresses, whose role carries no permission. */
static struct teams_user *victim_member(struct victim *v, const struct route *route)
{
    return is_office_route(route) ? &v->office_member : &v->member;
}

static bool param_is(const char *name, size_t len, const char *known)
{
    return strlen(known) == len && strncmp(known, name, len) == 0;
}

/* The victim's id for a path parameter of a route addressing t; NULL when this file does not
 * know the parameter. {team}, {matter} and {period} come from the target; on an office route
 * nothing else is known (give the office an object of the new kind when a route names one).
 * Other names are the firm's objects; a name that stands for different kinds of object in
 * different routes is told apart by the start of the route's pattern (an entry with a prefix);
 * a route with that name under another prefix is unknown, so that its kind is decided here
 * when it is added. */
static const char *param_value(const struct victim *v, const struct route *route,
                               const struct target *t, const char *name, size_t len)
{
    if (param_is(name, len, "team"))
        return t->team;
    if (t->matter) {
        if (param_is(name, len, "matter"))
            return t->matter;
        if (param_is(name, len, "period"))
            return MATRIX_PERIOD;
        return NULL;
    }
    /* Not an office route: the firm's objects ({matter} and {period} are unknown there). */
    static const struct {
        const char *prefix; /* NULL: any route */
        const char *name;
        size_t offset;
    } known[] = {
        /* On the grant routes, the member the mailbox is shared with: a PUT let through would
         * change nothing in mailbox_grants, but it records mailbox.shared (audit_events). */
        {NULL, "user", offsetof(struct victim, member) + offsetof(struct teams_user, id)},
        {NULL, "role", offsetof(struct victim, role)},
        {NULL, "invitation", offsetof(struct victim, invitation)},
        {NULL, "group", offsetof(struct victim, group)},
        {NULL, "contact", offsetof(struct victim, contact)},
        {NULL, "letter", offsetof(struct victim, letter)},
        /* A draft has no proof yet and the team no invoice; the team check comes before any
         * lookup, so the letter's id stands in for them. */
        {NULL, "proof", offsetof(struct victim, letter)},
        {NULL, "invoice", offsetof(struct victim, letter)},
        {NULL, "id", offsetof(struct victim, api_key)},
        /* The office's client user's welcome link (already used). */
        {"/api/v1/welcome/", "token", offsetof(struct victim, welcome)},
        {"/api/v1/invitations/", "token", offsetof(struct victim, token)},
        {NULL, "client", offsetof(struct victim, client)},
        {NULL, "doc", offsetof(struct victim, doc)},
        /* A linked account's id is its accepted link request's. */
        {NULL, "link", offsetof(struct victim, link)},
        /* Pending ones: a route that answered them for the wrong caller would change them. */
        {"/api/v1/partner-requests/", "request", offsetof(struct victim, partner_request)},
        {"/api/v1/link-requests/", "request", offsetof(struct victim, link_request)},
        /* The administrator's mailbox, shared with the member, and its message. */
        {"/api/v1/teams/{team}/mailboxes/", "mailbox", offsetof(struct victim, mailbox)},
        {"/api/v1/teams/{team}/mailboxes/{mailbox}/messages/", "message",
         offsetof(struct victim, message)},
        /* The firm's webhook endpoint: a DELETE let through would cancel it. */
        {"/api/v1/teams/{team}/webhook-endpoints/", "endpoint",
         offsetof(struct victim, webhook_endpoint)},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (param_is(name, len, known[i].name) &&
            (!known[i].prefix ||
             strncmp(route->pattern, known[i].prefix, strlen(known[i].prefix)) == 0))
            return (const char *)v + known[i].offset;
    return NULL;
}

/* Fills out with the route's pattern, each {param} replaced by the victim's id of that kind in
 * the team t names. Fails the test on a parameter it does not know. */
static void build_path_in(const struct victim *v, const struct route *route,
                          const struct target *t, char *out, size_t size)
{
    size_t n = 0;
    const char *p = route->pattern;
    while (*p) {
        cr_assert(n + 1 < size, "%s %s: path too long", route->method, route->pattern);
        if (*p != '{') {
            out[n++] = *p++;
            continue;
        }
        const char *end = strchr(p, '}');
        cr_assert_not_null(end, "%s %s: unterminated parameter", route->method, route->pattern);
        const char *value = param_value(v, route, t, p + 1, (size_t)(end - p - 1));
        cr_assert_not_null(value,
                           "%s %s: the isolation matrix does not know the parameter %.*s; give "
                           "the victim %s an object of that kind in test_isolation_matrix.c",
                           route->method, route->pattern, (int)(end - p - 1), p + 1,
                           t->matter ? "office" : "team");
        size_t len = strlen(value);
        cr_assert(len > 0, "%s %s: no victim id for %.*s", route->method, route->pattern,
                  (int)(end - p - 1), p + 1);
        cr_assert(n + len < size, "%s %s: path too long", route->method, route->pattern);
        memcpy(out + n, value, len);
        n += len;
        p = end + 1;
    }
    out[n] = '\0';
}

/* The path of a route in the victim team it addresses (victim_target). */
static void build_path(const struct victim *v, const struct route *route, char *out,
                       size_t size)
{
    struct target t = victim_target(v, route);
    build_path_in(v, route, &t, out, size);
}

static const char matrix_pdf[] =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
static const char matrix_csv[] = "last_name,first_name,email\nIntrus,Eve,eve@example.test\n";

/* The JSON body a route is called with: one that would change something (or send an e-mail)
 * if the call were let through, for the routes whose handler decides who may (the router
 * checks the body before the handler runs: "{}" would be refused 422 there, never reaching the
 * decision); "{}" for the others. Into buf. */
static const char *json_body(const struct victim *v, const struct route *route, char *buf,
                             size_t size)
{
    if (strcmp(route->pattern, "/api/v1/teams/{team}/mailboxes/{mailbox}") == 0 &&
        strcmp(route->method, "PATCH") == 0)
        return "{\"signature\": \"Intrus\", \"active\": true, \"leave_on_server\": false}";
    if (strcmp(route->pattern, "/api/v1/teams/{team}/mailboxes/{mailbox}/test-email") == 0) {
        snprintf(buf, size, "{\"to\": \"%s\"}", v->test_to);
        return buf;
    }
    if (strcmp(route->pattern, "/api/v1/teams/{team}/mailboxes/{mailbox}/messages/{message}") ==
            0 &&
        strcmp(route->method, "PATCH") == 0)
        return "{\"status\": \"done\", \"archived\": true}";
    return "{}";
}

/* Calls a route with the body it takes: nothing for GET, a small valid file for the upload
 * routes (a document shared with a client as well), JSON otherwise (json_body). */
static struct reply *call_route(const struct victim *v, struct client *c,
                                const struct route *route, const char *path)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    static const char *const csv_type[] = {"Content-Type: text/csv",
                                           "X-Filename: contacts.csv", NULL};
    static const char *const pdf_type[] = {"Content-Type: application/pdf",
                                           "X-Filename: courrier.pdf", NULL};
    if (strcmp(route->method, "GET") == 0)
        return client_send(c, route->method, path, NULL, NULL);
    if (route->body == ROUTE_BODY_IMPORT_FILE)
        return client_send(c, route->method, path, matrix_csv, csv_type);
    if (route->body == ROUTE_BODY_ATTACHMENT || route->body == ROUTE_BODY_DOCUMENT)
        return client_send(c, route->method, path, matrix_pdf, pdf_type);
    char buf[256];
    return client_send(c, route->method, path, json_body(v, route, buf, sizeof(buf)), json_type);
}

/* Appends printf-style text to a fixed buffer; fails the test when it would not fit. */
static void append(char *out, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *out, size_t size, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(out + *n, size - *n, fmt, ap);
    va_end(ap);
    cr_assert(w >= 0 && (size_t)w < size - *n, "fingerprint buffer too small");
    *n += (size_t)w;
}

static void append_query(char *out, size_t size, size_t *n, const char *label, const char *sql,
                         const char *team)
{
    const char *params[] = {team};
    PGresult *r = testdb_exec(sql, 1, params);
    cr_assert_eq(PQntuples(r), 1, "fingerprint of %s: %d rows", label, PQntuples(r));
    append(out, size, n, "%s: %s rows, %s\n", label, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
    PQclear(r);
}

/* Columns the service rewrites on reads by design (activity recorded at most once a minute). */
#define MATRIX_VOLATILE "('last_seen_at', 'last_used_at')"
/* The columns that name a team, in a condition on information_schema.columns c. */
#define MATRIX_TEAM_COLUMN                                                                         \
    "AND (c.column_name = 'team_id' OR right(c.column_name, 8) = '_team_id')"
#define MATRIX_DIGEST                                                                              \
    "SELECT count(*), md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (SELECT "

/* A printable fingerprint of every row of one team, appended to out: each table with a column
 * team_id or ending in _team_id (found in the catalogue, so new tables are included), its rows
 * where any of those columns names the team; the team itself, its invitation tokens, and its
 * members' users, sessions and API keys. Returns the number of such tables. */
static int fingerprint_team(const char *team, char *out, size_t size, size_t *n)
{
    PGresult *tables = testdb_exec(
        "SELECT quote_ident(b.table_name), "
        "(SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) "
        "FROM information_schema.columns c WHERE c.table_schema = b.table_schema "
        "AND c.table_name = b.table_name AND c.column_name NOT IN " MATRIX_VOLATILE "), "
        "(SELECT string_agg(quote_ident(c.column_name) || ' = $1', ' OR ' "
        "ORDER BY c.ordinal_position) "
        "FROM information_schema.columns c WHERE c.table_schema = b.table_schema "
        "AND c.table_name = b.table_name " MATRIX_TEAM_COLUMN ") "
        "FROM information_schema.tables b "
        "WHERE b.table_schema = 'public' AND b.table_type = 'BASE TABLE' "
        "AND EXISTS (SELECT 1 FROM information_schema.columns c "
        "WHERE c.table_schema = b.table_schema AND c.table_name = b.table_name "
        MATRIX_TEAM_COLUMN ") "
        "ORDER BY b.table_name",
        0, NULL);
    int n_tables = PQntuples(tables);
    for (int i = 0; i < n_tables; i++) {
        char sql[4096];
        int w = snprintf(sql, sizeof(sql),
                         MATRIX_DIGEST "ROW(%s)::text AS x FROM public.%s WHERE %s) s",
                         PQgetvalue(tables, i, 1), PQgetvalue(tables, i, 0),
                         PQgetvalue(tables, i, 2));
        cr_assert(w > 0 && (size_t)w < sizeof(sql), "query too long for %s",
                  PQgetvalue(tables, i, 0));
        append_query(out, size, n, PQgetvalue(tables, i, 0), sql, team);
    }
    PQclear(tables);
    append_query(out, size, n, "teams",
                 MATRIX_DIGEST "t::text AS x FROM teams t WHERE t.id = $1) s", team);
    append_query(out, size, n, "invitation_tokens",
                 MATRIX_DIGEST "k::text AS x FROM invitation_tokens k JOIN invitations i "
                               "ON i.id = k.invitation_id WHERE i.team_id = $1) s",
                 team);
    append_query(out, size, n, "users",
                 MATRIX_DIGEST "u::text AS x FROM users u JOIN memberships m "
                               "ON m.user_id = u.id WHERE m.team_id = $1) s",
                 team);
    append_query(out, size, n, "sessions",
                 MATRIX_DIGEST "ROW(s.id, s.user_id, s.created_at, s.expires_at, s.step_up_at, "
                               "s.revoked_at)::text AS x FROM sessions s JOIN memberships m "
                               "ON m.user_id = s.user_id WHERE m.team_id = $1) s",
                 team);
    append_query(out, size, n, "api_keys",
                 MATRIX_DIGEST "ROW(k.id, k.user_id, k.name, k.created_at, k.revoked_at)::text "
                               "AS x FROM api_keys k JOIN memberships m "
                               "ON m.user_id = k.user_id WHERE m.team_id = $1) s",
                 team);
    /* An office's client users are no members: their accounts and sessions. */
    append_query(out, size, n, "client_user_accounts",
                 MATRIX_DIGEST "u::text AS x FROM users u WHERE u.id IN "
                               "(SELECT c.user_id FROM client_users c WHERE c.team_id = $1)) s",
                 team);
    append_query(out, size, n, "client_user_sessions",
                 MATRIX_DIGEST "ROW(s.id, s.user_id, s.created_at, s.expires_at, s.step_up_at, "
                               "s.revoked_at)::text AS x FROM sessions s WHERE s.user_id IN "
                               "(SELECT c.user_id FROM client_users c WHERE c.team_id = $1)) s",
                 team);
    return n_tables;
}

/* The parts of the fingerprint, each under a heading line "<heading> <team id>:". */
static const char *const fingerprint_headings[] = {
    "firm", "office", "principal company", "secondary company", "invited company space",
};

/* The fingerprint of the victim firm, of its office, then of each of the firm's client
 * companies, in the order of fingerprint_headings; then, outside the tables of teams, the jobs
 * queued for the victim's mailbox or message by a call (MAILBOX_JOBS: a poll let through
 * queues one, and a switched-off mailbox's poll writes nothing a team table would show) and
 * the e-mails that reached the address the test e-mail routes name. Returns the number of
 * tables with a team column. */
static int fingerprint(const struct victim *v, char *out, size_t size)
{
    const char *const teams[] = {v->team, v->office, v->principal, v->secondary, v->space};
    _Static_assert(sizeof(teams) / sizeof(teams[0]) ==
                       sizeof(fingerprint_headings) / sizeof(fingerprint_headings[0]),
                   "one heading per team");
    size_t n = 0;
    int n_tables = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(teams) / sizeof(teams[0]); i++) {
        append(out, size, &n, "%s %s:\n", fingerprint_headings[i], teams[i]);
        n_tables = fingerprint_team(teams[i], out, size, &n);
    }
    const char *params[] = {v->mailbox, v->message};
    append(out, size, &n, "outside the teams:\nmailbox jobs: %ld rows\ntest e-mails: %d rows\n",
           testdb_long(MAILBOX_JOBS "AND dedupe_key IS NULL", 2, params),
           maildir_count_for(v->test_to, 0, 0));
    return n_tables;
}

/* Asserts that the part of the fingerprint `all` under the heading `which` (an index in
 * fingerprint_headings) has each line "<table>: <n> rows" of must (NULL-terminated), so that an
 * empty fingerprint cannot pass unnoticed. */
static void expect_rows(const char *all, size_t which, const char *const *must)
{
    char heading[64];
    snprintf(heading, sizeof(heading), "%s%s ", which ? "\n" : "", fingerprint_headings[which]);
    const char *start = which ? strstr(all, heading) : all;
    cr_assert(start && (which || strncmp(all, heading, strlen(heading)) == 0),
              "no part %s in the fingerprint:\n%s", fingerprint_headings[which], all);
    const char *end = all + strlen(all);
    if (which + 1 < sizeof(fingerprint_headings) / sizeof(fingerprint_headings[0])) {
        snprintf(heading, sizeof(heading), "\n%s ", fingerprint_headings[which + 1]);
        end = strstr(start, heading);
        cr_assert_not_null(end, "no part %s in the fingerprint:\n%s",
                           fingerprint_headings[which + 1], all);
    }
    char *part = strndup(start, (size_t)(end - start));
    cr_assert_not_null(part);
    for (; *must; must++) {
        char needle[128];
        snprintf(needle, sizeof(needle), "\n%s,", *must);
        cr_assert_not_null(strstr(part, needle), "the victim fixture lacks \"%s\" in the %s:\n%s",
                           *must, fingerprint_headings[which], all);
    }
    free(part);
}

/* Fingerprints the teams and checks that the fixture really is in them. */
static void fingerprint_before(const struct victim *v, char *out, size_t size)
{
    int n_tables = fingerprint(v, out, size);
    cr_log_info("isolation matrix: %d tables with a team column\n%s", n_tables, out);
    /* The firm: the administrator, the member and the colleague (both joined through an
     * invitation; a third invitation waits), its objects, the mailbox, its grant to the member
     * and its message. */
    static const char *const firm[] = {
        "memberships: 3 rows",      "roles: 3 rows",          "invitations: 3 rows",
        "payment_methods: 1 rows",  "groups: 1 rows",         "contacts: 1 rows",
        "letters: 1 rows",          "letter_groups: 1 rows",  "clients: 3 rows",
        "partner_requests: 3 rows", "link_requests: 2 rows",  "documents: 1 rows",
        "mailboxes: 1 rows",        "mailbox_grants: 1 rows", "messages: 1 rows",
        "webhook_endpoints: 1 rows", NULL};
    expect_rows(out, 0, firm);
    /* The office: its two matters, the client user (an account of its own and the session of
     * the welcome link), what it sent and the three notifications; the four routings the PUT
     * of the e-mail settings wrote (one per type). */
    static const char *const office[] = {"memberships: 2 rows",
                                         "roles: 3 rows",
                                         "invitations: 1 rows",
                                         "office_settings: 1 rows",
                                         "notification_settings: 4 rows",
                                         "client_groups: 1 rows",
                                         "matters: 2 rows",
                                         "client_users: 1 rows",
                                         "client_user_accounts: 1 rows",
                                         "client_user_sessions: 1 rows",
                                         "vat_periods: 1 rows",
                                         "user_requests: 1 rows",
                                         "matter_messages: 1 rows",
                                         "notifications: 3 rows",
                                         NULL};
    expect_rows(out, 1, office);
    /* Each company's part: its record, its request and its document or link requests. */
    static const char *const principal[] = {"memberships: 1 rows", "clients: 1 rows",
                                            "partner_requests: 1 rows", "link_requests: 2 rows",
                                            "documents: 1 rows", NULL};
    expect_rows(out, 2, principal);
    static const char *const secondary[] = {"memberships: 1 rows", "clients: 1 rows",
                                            "partner_requests: 1 rows", "link_requests: 1 rows",
                                            NULL};
    expect_rows(out, 3, secondary);
    static const char *const space[] = {"memberships: 0 rows", "invitations: 1 rows",
                                        "clients: 1 rows", "partner_requests: 1 rows",
                                        "link_requests: 1 rows", NULL};
    expect_rows(out, 4, space);
    /* The on-demand poll and the message's PDF at least; no test e-mail. */
    cr_assert_null(strstr(out, "\nmailbox jobs: 0 rows"), "no job of the mailbox:\n%s", out);
    cr_assert_not_null(strstr(out, "\ntest e-mails: 0 rows\n"), "%s", out);
}

static void fingerprint_unchanged(const struct victim *v, const char *before)
{
    char *after = malloc(MATRIX_PRINT_MAX);
    cr_assert_not_null(after);
    fingerprint(v, after, MATRIX_PRINT_MAX);
    cr_assert_str_eq(after, before, "the victim's teams changed:\nbefore:\n%s\nafter:\n%s",
                     before, after);
    free(after);
}

/* Before the matrix, the victim's administrator reads every GET route of a team in the path
 * the matrix builds: the office's answer 200 (the path names real objects of the office), the
 * firm's do not answer 409 not_an_office (an office-only route missing from office_prefixes
 * would, and the matrix would then attack it where it looks at no id). */
static void victim_paths_reach_their_team(struct victim *v)
{
    size_t office_reads = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (route->team == TEAM_NONE || strcmp(route->method, "GET") != 0)
            continue;
        char path[MATRIX_PATH_MAX];
        build_path(v, route, path, sizeof(path));
        struct reply *r = call_route(v, &v->admin.c, route, path);
        cr_log_info("isolation matrix (the victim's administrator): GET %s -> %ld %s",
                    route->pattern, r->status, reply_code(r));
        if (is_office_route(route)) {
            cr_assert_eq(r->status, 200, "GET %s in the office as its administrator: %ld %s",
                         route->pattern, r->status, r->body);
            office_reads++;
        } else {
            cr_assert_str_neq(reply_code(r), "not_an_office",
                              "GET %s is an office route: add its prefix to office_prefixes",
                              route->pattern);
        }
        reply_free(r);
    }
    cr_assert_gt(office_reads, 0, "no GET route of an office");
}

/* GET /metrics (served to loopback, whoever asks) counts requests by route pattern: after the
 * matrix called every route with the victim's ids, none of its ids or addresses shows there. */
static void metrics_name_no_tenant(const struct victim *v)
{
    struct client anonymous;
    client_init(&anonymous);
    struct reply *r = client_send(&anonymous, "GET", "/metrics", NULL, NULL);
    cr_assert_eq(r->status, 200, "GET /metrics: %ld %s", r->status, r->body);
    const char *const secrets[] = {v->team,    v->office, v->letter,   v->group, v->contact,
                                   v->mailbox, v->matter, v->doc,      v->client, v->invitation,
                                   v->admin.id, v->admin.email, v->member.email, v->token};
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
        cr_assert_null(strstr(r->body, secrets[i]), "GET /metrics names %s", secrets[i]);
    reply_free(r);
}

Test(isolation_matrix, every_team_route_is_404_for_another_team, .timeout = 120)
{
    struct victim v;
    victim_setup(&v);
    victim_paths_reach_their_team(&v);
    char *before = malloc(MATRIX_PRINT_MAX);
    cr_assert_not_null(before);
    fingerprint_before(&v, before, MATRIX_PRINT_MAX);

    size_t checked = 0, expected = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (route->team == TEAM_NONE)
            continue;
        expected++;
        cr_assert(strncmp(route->pattern, "/api/v1/teams/{team}", 20) == 0,
                  "%s %s: a team route whose first parameter is not {team}", route->method,
                  route->pattern);
        char path[MATRIX_PATH_MAX];
        build_path(&v, route, path, sizeof(path));
        struct reply *r = call_route(&v, &v.attacker.c, route, path);
        cr_log_info("isolation matrix (another team): %s %s -> %ld %s", route->method,
                    route->pattern, r->status, reply_code(r));
        cr_assert_eq(r->status, 404, "%s %s as a member of another team: %ld, expected 404: %s",
                     route->method, route->pattern, r->status, r->body);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
        checked++;
    }
    cr_assert_gt(checked, 0, "no team route in the table");
    cr_assert_eq(checked, expected);
    fingerprint_unchanged(&v, before);
    free(before);
    metrics_name_no_tenant(&v);
}

/* The member without permission is the one of the team the route addresses: the firm's, or the
 * office's for the office routes. */
Test(isolation_matrix, permission_routes_are_403_for_a_member_without_it, .timeout = 120)
{
    struct victim v;
    victim_setup(&v);
    char *before = malloc(MATRIX_PRINT_MAX);
    cr_assert_not_null(before);
    fingerprint_before(&v, before, MATRIX_PRINT_MAX);

    size_t checked = 0, in_office = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (route->team != TEAM_PERMISSION && route->team != TEAM_ADMINISTRATOR)
            continue;
        const char *required = "administrator";
        if (route->team == TEAM_PERMISSION) {
            cr_assert_lt((int)route->permission, (int)PERM__MAX,
                         "%s %s: TEAM_PERMISSION without a permission", route->method,
                         route->pattern);
            required = permission_name(route->permission);
        }
        char path[MATRIX_PATH_MAX];
        build_path(&v, route, path, sizeof(path));
        struct reply *r = call_route(&v, &victim_member(&v, route)->c, route, path);
        cr_log_info("isolation matrix (no permission): %s %s -> %ld %s, needs %s",
                    route->method, route->pattern, r->status, reply_code(r), required);
        cr_assert_eq(r->status, 403, "%s %s as a member without %s: %ld, expected 403: %s",
                     route->method, route->pattern, required, r->status, r->body);
        teams_assert_forbidden(r, required);
        reply_free(r);
        checked++;
        in_office += is_office_route(route);
    }
    cr_assert_gt(checked, 0, "no route needs a permission");
    cr_assert_gt(in_office, 0, "no office route needs a permission");
    fingerprint_unchanged(&v, before);
    free(before);
}

/* The routes of a matter's client users, as anyone else: the office's administrator and its
 * member without permission (members, not client users) on the client user's matter, and the
 * client user on the office's other matter, all get 404. Every other route of a team, naming
 * the office, as its client user: 404 as well (a client user is no member of the office; the
 * team check answers before any other id is read, so on routes that are not the office's the
 * firm's ids stand in for the rest). Nothing changes. Then the client user's own routes, on its
 * matter, do not answer it 404 (so the 404s above are not 404 for anyone). */
Test(isolation_matrix, client_user_routes_and_member_routes_keep_apart, .timeout = 120)
{
    struct victim v;
    victim_setup(&v);
    char *before = malloc(MATRIX_PRINT_MAX);
    cr_assert_not_null(before);
    fingerprint_before(&v, before, MATRIX_PRINT_MAX);

    const struct {
        const char *who;
        struct client *c;
        const char *matter;
    } others[] = {
        {"the office's administrator", &v.admin.c, v.matter},
        {"the office's member without permission", &v.office_member.c, v.matter},
        {"the client user, on another matter", &v.client_user.c, v.other_matter},
    };
    size_t client_user_routes = 0, member_routes = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (route->team == TEAM_NONE)
            continue;
        char path[MATRIX_PATH_MAX];
        if (route->team == TEAM_CLIENT_USER) {
            cr_assert(is_office_route(route), "%s %s: a client user route outside office_prefixes",
                      route->method, route->pattern);
            for (size_t o = 0; o < sizeof(others) / sizeof(others[0]); o++) {
                struct target t = {v.office, others[o].matter};
                build_path_in(&v, route, &t, path, sizeof(path));
                struct reply *r = call_route(&v, others[o].c, route, path);
                cr_log_info("isolation matrix (%s): %s %s -> %ld %s", others[o].who,
                            route->method, route->pattern, r->status, reply_code(r));
                cr_assert_eq(r->status, 404, "%s %s as %s: %ld, expected 404: %s", route->method,
                             route->pattern, others[o].who, r->status, r->body);
                teams_assert_problem(r, 404, "not_found");
                reply_free(r);
            }
            client_user_routes++;
            continue;
        }
        struct target t = victim_target(&v, route);
        t.team = v.office;
        build_path_in(&v, route, &t, path, sizeof(path));
        struct reply *r = call_route(&v, &v.client_user.c, route, path);
        cr_log_info("isolation matrix (the office's client user): %s %s -> %ld %s",
                    route->method, route->pattern, r->status, reply_code(r));
        cr_assert_eq(r->status, 404,
                     "%s %s in the office as its client user: %ld, expected 404: %s",
                     route->method, route->pattern, r->status, r->body);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
        member_routes++;
    }
    cr_assert_gt(client_user_routes, 0, "no client user route in the table");
    cr_assert_gt(member_routes, 0);
    fingerprint_unchanged(&v, before);
    free(before);

    /* The period the matrix names is a new one (201); the other routes refuse the body "{}"
     * (422), which is checked after the caller. */
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (route->team != TEAM_CLIENT_USER)
            continue;
        char path[MATRIX_PATH_MAX];
        build_path(&v, route, path, sizeof(path));
        struct reply *r = call_route(&v, &v.client_user.c, route, path);
        cr_assert(r->status == 201 || r->status == 422,
                  "%s %s as the matter's client user: %ld, expected 201 or 422: %s",
                  route->method, route->pattern, r->status, r->body);
        reply_free(r);
    }
}

/* Routes outside a team that name an id: what an unrelated user must get with the victim's id.
 * status 0: not an isolation check (the token or the signature is the credential, by design;
 * the delivery, webhook and office tests cover those). The partner and link requests are the
 * victim firm's pending ones: only the company's (the principal's) administrator may answer
 * them. */
static const struct {
    const char *method, *pattern;
    long status;
    const char *code;
} outside_expectations[] = {
    {"DELETE", "/api/v1/me/api-keys/{id}", 404, "not_found"},
    {"POST", "/api/v1/invitations/{token}/accept", 403, "invitation_email_mismatch"},
    {"GET", "/api/v1/invitations/{token}", 0, NULL},
    {"POST", "/api/v1/invitations/{token}/signup", 0, NULL},
    {"GET", "/api/v1/deliveries/{token}", 0, NULL},
    {"POST", "/api/v1/deliveries/{token}/code", 0, NULL},
    {"POST", "/api/v1/deliveries/{token}/accept", 0, NULL},
    {"POST", "/api/v1/deliveries/{token}/refuse", 0, NULL},
    {"GET", "/api/v1/deliveries/{token}/content", 0, NULL},
    {"GET", "/api/v1/deliveries/{token}/attachments/{attachment}", 0, NULL},
    {"POST", "/api/v1/webhooks/carriers/{carrier}", 0, NULL},
    {"POST", "/api/v1/partner-requests/{request}/accept", 404, "not_found"},
    {"POST", "/api/v1/partner-requests/{request}/refuse", 404, "not_found"},
    {"POST", "/api/v1/link-requests/{request}/accept", 404, "not_found"},
    {"POST", "/api/v1/link-requests/{request}/refuse", 404, "not_found"},
    /* A client user's welcome link: the token is the credential. */
    {"GET", "/api/v1/welcome/{token}", 0, NULL},
    {"POST", "/api/v1/welcome/{token}/password", 0, NULL},
};

/* The route of the table with this method and pattern. */
static const struct route *route_named(const char *method, const char *pattern)
{
    for (size_t i = 0; i < router_routes_count; i++)
        if (strcmp(router_routes[i].method, method) == 0 &&
            strcmp(router_routes[i].pattern, pattern) == 0)
            return &router_routes[i];
    cr_assert_fail("no route %s %s", method, pattern);
    return NULL;
}

/* Calls a route with the path the matrix builds as the one who may: 200 and the new status
 * show that the matrix named the right request (and not one that was 404 for anyone). */
static void expect_rightful_answer(const struct victim *v, struct client *c, const char *pattern,
                                   const char *status)
{
    const struct route *route = route_named("POST", pattern);
    char path[MATRIX_PATH_MAX];
    build_path(v, route, path, sizeof(path));
    struct reply *r = call_route(v, c, route, path);
    cr_assert_eq(r->status, 200, "POST %s as its administrator: %ld %s", pattern, r->status,
                 r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), status, "POST %s: %s", pattern, r->body);
    reply_free(r);
}

Test(isolation_matrix, ids_outside_teams_are_not_anyone_elses, .timeout = 120)
{
    struct victim v;
    victim_setup(&v);
    char *before = malloc(MATRIX_PRINT_MAX);
    cr_assert_not_null(before);
    fingerprint_before(&v, before, MATRIX_PRINT_MAX);

    size_t checked = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (route->team != TEAM_NONE || !strchr(route->pattern, '{'))
            continue;
        size_t e = 0, n_e = sizeof(outside_expectations) / sizeof(outside_expectations[0]);
        while (e < n_e && (strcmp(outside_expectations[e].method, route->method) != 0 ||
                           strcmp(outside_expectations[e].pattern, route->pattern) != 0))
            e++;
        cr_assert_lt(e, n_e,
                     "%s %s: a route outside teams names an id; say in test_isolation_matrix.c "
                     "what another user must get",
                     route->method, route->pattern);
        if (outside_expectations[e].status == 0) {
            cr_log_info("isolation matrix (another user): %s %s skipped (the token is the "
                        "credential)",
                        route->method, route->pattern);
            continue;
        }
        char path[MATRIX_PATH_MAX];
        build_path(&v, route, path, sizeof(path));
        struct reply *r = call_route(&v, &v.attacker.c, route, path);
        cr_log_info("isolation matrix (another user): %s %s -> %ld %s", route->method,
                    route->pattern, r->status, reply_code(r));
        teams_assert_problem(r, outside_expectations[e].status, outside_expectations[e].code);
        reply_free(r);
        checked++;
    }
    cr_assert_eq(checked, 6);

    const char *key[] = {v.api_key};
    cr_assert_eq(testdb_long("SELECT count(*) FROM api_keys WHERE id = $1 AND revoked_at IS NULL",
                             1, key),
                 1, "another user revoked the victim's API key");
    const char *invitation[] = {v.invitation};
    cr_assert_eq(testdb_long("SELECT count(*) FROM invitations WHERE id = $1 AND status = "
                             "'pending' AND accepted_by IS NULL",
                             1, invitation),
                 1, "another user accepted the victim's invitation");
    const char *partner_request[] = {v.partner_request};
    cr_assert_eq(testdb_long("SELECT count(*) FROM partner_requests WHERE id = $1 AND status = "
                             "'pending' AND answered_by IS NULL",
                             1, partner_request),
                 1, "another user answered the victim's partner request");
    const char *link_request[] = {v.link_request};
    cr_assert_eq(testdb_long("SELECT count(*) FROM link_requests WHERE id = $1 AND status = "
                             "'pending' AND answered_by IS NULL",
                             1, link_request),
                 1, "another user answered the victim's link request");
    fingerprint_unchanged(&v, before);
    free(before);

    expect_rightful_answer(&v, &v.secondary_admin.c, "/api/v1/partner-requests/{request}/refuse",
                           "refused");
    expect_rightful_answer(&v, &v.principal_admin.c, "/api/v1/link-requests/{request}/refuse",
                           "refused");
}

/* The routes of the archive mailboxes, by the start of their pattern. */
#define MAILBOX_ROUTES "/api/v1/teams/{team}/mailboxes"

static bool is_mailbox_route(const struct route *route)
{
    size_t len = strlen(MAILBOX_ROUTES);
    return strncmp(route->pattern, MAILBOX_ROUTES, len) == 0 &&
           (route->pattern[len] == '\0' || route->pattern[len] == '/');
}

/* Calls the route of the table with this method and pattern on path (ids of one's choice), as
 * c, with the body the matrix gives it. */
static struct reply *call_route_at(const struct victim *v, struct client *c, const char *method,
                                   const char *pattern, const char *path)
{
    return call_route(v, c, route_named(method, pattern), path);
}

/* What the member the mailbox is shared with gets on each route that names a mailbox. status
 * 0: the grantee may, and the call would change the mailbox (a poll) or the message; it is made
 * after the fingerprint (see the test). */
static const struct {
    const char *method, *pattern;
    long status;
} grantee_expectations[] = {
    {"GET", MAILBOX_ROUTES "/{mailbox}", 200},
    {"PATCH", MAILBOX_ROUTES "/{mailbox}", 403},
    {"DELETE", MAILBOX_ROUTES "/{mailbox}", 403},
    {"POST", MAILBOX_ROUTES "/{mailbox}/test-email", 403},
    {"POST", MAILBOX_ROUTES "/{mailbox}/poll", 0},
    {"PUT", MAILBOX_ROUTES "/{mailbox}/grants/{user}", 403},
    {"DELETE", MAILBOX_ROUTES "/{mailbox}/grants/{user}", 403},
    {"GET", MAILBOX_ROUTES "/{mailbox}/messages", 200},
    {"GET", MAILBOX_ROUTES "/{mailbox}/messages/{message}", 200},
    {"PATCH", MAILBOX_ROUTES "/{mailbox}/messages/{message}", 0},
};

/* Inside the team: the colleague (a member whose role carries no permission, neither the
 * mailbox's owner nor given it) gets 404 on every route that names the mailbox, as if it did
 * not exist, with bodies that would change it (or send a test e-mail) if let through; its list
 * of mailboxes does not show it; granting itself the mailbox is 404 too. Nothing changes. Then
 * the positive control: the member the mailbox is shared with reads it and its message (200),
 * but only the owner or mailboxes.manage manages it: 403 on its settings, its deletion, its
 * test e-mail and its grants (its own, and sharing it further). Nothing changes either. Last,
 * what the grantee may do and would change something (a poll, a change of the message) is not
 * 404 for it, so that the colleague's 404 is not everyone's. */
Test(isolation_matrix, mailbox_routes_are_404_for_a_member_who_does_not_read_it, .timeout = 120)
{
    struct victim v;
    victim_setup(&v);
    char *before = malloc(MATRIX_PRINT_MAX);
    cr_assert_not_null(before);
    fingerprint_before(&v, before, MATRIX_PRINT_MAX);

    size_t hidden = 0, lists = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (!is_mailbox_route(route))
            continue;
        cr_assert_eq(route->team, TEAM_MEMBER, "%s %s: a mailbox route that is not MEMBER",
                     route->method, route->pattern);
        char path[MATRIX_PATH_MAX];
        build_path(&v, route, path, sizeof(path));
        struct reply *r = call_route(&v, &v.colleague.c, route, path);
        cr_log_info("isolation matrix (a colleague without the mailbox): %s %s -> %ld %s",
                    route->method, route->pattern, r->status, reply_code(r));
        if (strstr(route->pattern, "{mailbox}")) {
            cr_assert_eq(r->status, 404,
                         "%s %s as a member who neither owns nor was given the mailbox: %ld, "
                         "expected 404: %s",
                         route->method, route->pattern, r->status, r->body);
            teams_assert_problem(r, 404, "not_found");
            hidden++;
        } else if (strcmp(route->method, "GET") == 0) {
            cr_assert_eq(r->status, 200, "GET %s as a member: %ld %s", route->pattern,
                         r->status, r->body);
            cr_assert_null(item_with_id(r, v.mailbox),
                           "GET %s as a member who neither owns nor was given the mailbox "
                           "lists it: %s",
                           route->pattern, r->body);
            lists++;
        } else {
            /* The creation: "{}" is refused 422 before anything; a member sets up its own
             * mailbox, which names none of the victim's. */
            cr_assert(strcmp(route->method, "POST") == 0 &&
                          strcmp(route->pattern, MAILBOX_ROUTES) == 0,
                      "%s %s: say in test_isolation_matrix.c what a member without the "
                      "mailbox gets",
                      route->method, route->pattern);
            cr_assert_eq(r->status, 422, "POST %s with {}: %ld %s", route->pattern, r->status,
                         r->body);
        }
        reply_free(r);
    }
    cr_assert_eq(hidden, sizeof(grantee_expectations) / sizeof(grantee_expectations[0]),
                 "the routes naming a mailbox and grantee_expectations differ");
    cr_assert_eq(lists, 1);
    char path[MATRIX_PATH_MAX];
    snprintf(path, sizeof(path), "/api/v1/teams/%s/mailboxes/%s/grants/%s", v.team, v.mailbox,
             v.colleague.id);
    struct reply *r =
        call_route_at(&v, &v.colleague.c, "PUT", MAILBOX_ROUTES "/{mailbox}/grants/{user}", path);
    cr_assert_eq(r->status, 404, "PUT %s (granting itself the mailbox): %ld, expected 404: %s",
                 path, r->status, r->body);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    fingerprint_unchanged(&v, before);

    size_t controlled = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (!is_mailbox_route(route) || !strstr(route->pattern, "{mailbox}"))
            continue;
        size_t e = 0, n_e = sizeof(grantee_expectations) / sizeof(grantee_expectations[0]);
        while (e < n_e && (strcmp(grantee_expectations[e].method, route->method) != 0 ||
                           strcmp(grantee_expectations[e].pattern, route->pattern) != 0))
            e++;
        cr_assert_lt(e, n_e,
                     "%s %s: say in grantee_expectations what the member the mailbox is shared "
                     "with gets",
                     route->method, route->pattern);
        if (grantee_expectations[e].status == 0)
            continue;
        build_path(&v, route, path, sizeof(path));
        r = call_route(&v, &v.member.c, route, path);
        cr_log_info("isolation matrix (the grantee): %s %s -> %ld %s", route->method,
                    route->pattern, r->status, reply_code(r));
        cr_assert_eq(r->status, grantee_expectations[e].status,
                     "%s %s as the member the mailbox is shared with: %ld, expected %ld: %s",
                     route->method, route->pattern, r->status, grantee_expectations[e].status,
                     r->body);
        if (r->status == 403)
            teams_assert_forbidden(r, "mailboxes.manage");
        else if (strstr(route->pattern, "{message}"))
            cr_assert_str_eq(teams_str(r->json, "id"), v.message, "%s", r->body);
        else if (strcmp(route->pattern, MAILBOX_ROUTES "/{mailbox}/messages") == 0)
            cr_assert_not_null(item_with_id(r, v.message), "GET %s: %s", route->pattern,
                               r->body);
        else
            cr_assert_str_eq(teams_str(r->json, "id"), v.mailbox, "%s", r->body);
        reply_free(r);
        controlled++;
    }
    cr_assert_gt(controlled, 0);
    r = client_send(&v.member.c, "GET", tpath("/api/v1/teams/%s/mailboxes", v.team), NULL, NULL);
    cr_assert_eq(r->status, 200, "the grantee's list: %ld %s", r->status, r->body);
    cr_assert_not_null(item_with_id(r, v.mailbox), "the grantee's list lacks the mailbox: %s",
                       r->body);
    reply_free(r);
    snprintf(path, sizeof(path), "/api/v1/teams/%s/mailboxes/%s/grants/%s", v.team, v.mailbox,
             v.colleague.id);
    r = call_route_at(&v, &v.member.c, "PUT", MAILBOX_ROUTES "/{mailbox}/grants/{user}", path);
    cr_assert_eq(r->status, 403, "PUT %s (the grantee shares it further): %ld, expected 403: %s",
                 path, r->status, r->body);
    teams_assert_forbidden(r, "mailboxes.manage");
    reply_free(r);
    fingerprint_unchanged(&v, before);
    free(before);

    snprintf(path, sizeof(path), "/api/v1/teams/%s/mailboxes/%s/poll", v.team, v.mailbox);
    r = call_route_at(&v, &v.member.c, "POST", MAILBOX_ROUTES "/{mailbox}/poll", path);
    cr_assert_eq(r->status, 202, "POST %s as the grantee: %ld %s", path, r->status, r->body);
    reply_free(r);
    snprintf(path, sizeof(path), "/api/v1/teams/%s/mailboxes/%s/messages/%s", v.team, v.mailbox,
             v.message);
    r = call_route_at(&v, &v.member.c, "PATCH", MAILBOX_ROUTES "/{mailbox}/messages/{message}",
                      path);
    cr_assert_eq(r->status, 200, "PATCH %s as the grantee: %ld %s", path, r->status, r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "done", "%s", r->body);
    reply_free(r);
}

#include "support/mailboxes.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fixtures.h"
#include "support/stack.h"
#include "support/testdb.h"

int mb_smtp_port(void)
{
    return stack_env_port("PLI_SMTP_PORT");
}

json_t *mb_body(const char *owner, const char *address, const char *primary,
                const struct p3_account *a, const char *tls, int leave_on_server)
{
    return json_pack("{s:s, s:s, s:s, s:b, s:b, s:{s:s, s:i, s:s, s:s, s:s}, s:{s:s, s:i, s:s}}",
                     "owner_user_id", owner, "address", address, "primary_address", primary,
                     "active", 1, "leave_on_server", leave_on_server, "pop3", "host", p3_host(),
                     "port", p3_port(tls), "tls", tls, "username", a->user, "password", a->password,
                     "smtp", "host", "127.0.0.1", "port", mb_smtp_port(), "tls", "none");
}

/* Sends body (stolen) as JSON. */
static struct reply *send_json(struct client *c, const char *method, const char *path, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(c, method, path, text, json_type);
    free(text);
    return r;
}

struct reply *mb_create(struct client *c, const char *team, json_t *body)
{
    return send_json(c, "POST", tpath("/api/v1/teams/%s/mailboxes", team), body);
}

void mb_new_at(struct client *c, const char *team, const char *owner, const char *address,
               const char *primary, const char *tls, int leave_on_server, struct mb_box *box)
{
    memset(box, 0, sizeof(*box));
    snprintf(box->team, sizeof(box->team), "%s", team);
    snprintf(box->address, sizeof(box->address), "%s", address);
    snprintf(box->primary, sizeof(box->primary), "%s", primary);
    p3_account_new(&box->pop3, NULL);
    struct reply *r = mb_create(
        c, team, mb_body(owner, box->address, box->primary, &box->pop3, tls, leave_on_server));
    cr_assert_eq(r->status, 201, "create mailbox: %ld %s", r->status, r->body);
    snprintf(box->id, sizeof(box->id), "%s", teams_str(r->json, "id"));
    reply_free(r);
}

void mb_new(struct client *c, const char *team, const char *owner, const char *tls,
            int leave_on_server, struct mb_box *box)
{
    char address[MB_ADDRESS_MAX], primary[MB_ADDRESS_MAX];
    client_unique_email(address, sizeof(address), "archive");
    client_unique_email(primary, sizeof(primary), "avocat");
    mb_new_at(c, team, owner, address, primary, tls, leave_on_server, box);
}

const char *mb_path(const struct mb_box *b, const char *suffix)
{
    return tpath("/api/v1/teams/%s/mailboxes/%s%s", b->team, b->id, suffix);
}

struct reply *mb_patch(struct client *c, const struct mb_box *b, json_t *body)
{
    return send_json(c, "PATCH", mb_path(b, ""), body);
}

struct reply *mb_grant(struct client *c, const struct mb_box *b, const char *user, int put)
{
    return client_send(c, put ? "PUT" : "DELETE", mb_path(b, tpath("/grants/%s", user)), NULL,
                       NULL);
}

/* Polls of the mailbox that are due or running. */
static long polls_pending(const struct mb_box *b)
{
    const char *params[] = {b->id};
    return testdb_long("SELECT count(*) FROM jobs WHERE kind = 'mailbox_poll' "
                       "AND payload ->> 'mailbox_id' = $1 "
                       "AND (state = 'running' OR (state = 'queued' AND run_at <= now()))",
                       1, params);
}

void mb_poll_once(struct client *c, const struct mb_box *b)
{
    struct reply *r = client_send(c, "POST", mb_path(b, "/poll"), NULL, NULL);
    cr_assert_eq(r->status, 202, "poll: %ld %s", r->status, r->body);
    cr_assert(json_is_true(json_object_get(r->json, "queued")), "poll: %s", r->body);
    reply_free(r);
    double deadline = stack_now() + MB_WAIT_MS / 1000.0;
    while (polls_pending(b) > 0 && stack_now() < deadline)
        stack_sleep(0.1);
    cr_assert_eq(polls_pending(b), 0, "the poll of mailbox %s did not end in %d s", b->id,
                 MB_WAIT_MS / 1000);
}

long mb_count(const struct mb_box *b)
{
    const char *params[] = {b->id};
    return testdb_long("SELECT count(*) FROM messages WHERE mailbox_id = $1", 1, params);
}

const char *mb_poll_error(const struct mb_box *b, char *out, size_t size)
{
    const char *params[] = {b->id};
    return testdb_text("SELECT last_poll_error FROM mailboxes WHERE id = $1", 1, params, out, size);
}

long mb_poll_until(struct client *c, const struct mb_box *b, long expected)
{
    double deadline = stack_now() + MB_WAIT_MS / 1000.0;
    long n = mb_count(b);
    while (n < expected && stack_now() < deadline) {
        mb_poll_once(c, b);
        n = mb_count(b);
        if (n < expected)
            stack_sleep(0.3);
    }
    char error[512];
    cr_assert_geq(n, expected, "mailbox %s archived %ld of %ld messages (last poll error: %s)",
                  b->id, n, expected, mb_poll_error(b, error, sizeof(error)));
    return n;
}

void mb_drop_mail(const struct mb_box *b, const char *from, const char *cc, const char *subject,
                  const char *message_id, const char *in_reply_to, const char *body)
{
    char cc_line[256] = "", thread[600] = "", name[P3_NAME_MAX];
    if (cc)
        snprintf(cc_line, sizeof(cc_line), "Cc: %s\r\n", cc);
    if (in_reply_to)
        snprintf(thread, sizeof(thread), "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", in_reply_to,
                 in_reply_to);
    size_t size = strlen(body) + strlen(subject) + 2048;
    char *text = malloc(size);
    cr_assert_not_null(text);
    snprintf(text, size,
             "From: %s\r\nTo: %s\r\n%sSubject: %s\r\nDate: Mon, 17 Mar 2025 10:00:00 +0100\r\n"
             "Message-ID: <%s>\r\n%sMIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n"
             "\r\n%s\r\n",
             from, b->address, cc_line, subject, message_id, thread, body);
    p3_drop_text(&b->pop3, text, name, sizeof(name));
    free(text);
}

void mb_drop_fixture(const struct mb_box *b, const char *name)
{
    char path[128], dropped[P3_NAME_MAX];
    snprintf(path, sizeof(path), "mail/%s", name);
    struct fixture f = fixture_read(path);
    p3_drop(&b->pop3, f.data, f.len, dropped, sizeof(dropped));
    fixture_free(&f);
}

struct reply *mb_list(struct client *c, const struct mb_box *b, const char *query)
{
    struct reply *r = client_send(
        c, "GET", mb_path(b, tpath("/messages%s%s", query ? "?" : "", query ? query : "")), NULL,
        NULL);
    cr_assert_eq(r->status, 200, "list messages?%s: %ld %s", query ? query : "", r->status,
                 r->body);
    cr_assert(json_is_array(json_object_get(r->json, "items")), "%s", r->body);
    return r;
}

json_t *mb_item(const struct reply *list, const char *message_id)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(list->json, "items"), i,
                       item) if (strcmp(teams_str(item, "message_id"), message_id) ==
                                 0) return item;
    return NULL;
}

const char *mb_message_id(const struct mb_box *b, const char *message_id, char out[TEAMS_ID_MAX])
{
    const char *params[] = {b->id, message_id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM messages WHERE mailbox_id = $1 "
                             "AND message_id = $2",
                             2, params),
                 1, "not exactly one message <%s> in mailbox %s", message_id, b->id);
    return testdb_text("SELECT id FROM messages WHERE mailbox_id = $1 AND message_id = $2", 2,
                       params, out, TEAMS_ID_MAX);
}

struct reply *mb_get(struct client *c, const struct mb_box *b, const char *message,
                     const char *accept)
{
    char header[128];
    snprintf(header, sizeof(header), "Accept: %s", accept ? accept : "application/json");
    const char *const headers[] = {header, NULL};
    return client_send(c, "GET", mb_path(b, tpath("/messages/%s", message)), NULL, headers);
}

struct reply *mb_patch_message(struct client *c, const struct mb_box *b, const char *message,
                               json_t *body)
{
    return send_json(c, "PATCH", mb_path(b, tpath("/messages/%s", message)), body);
}

struct reply *mb_wait_pdf(struct client *c, const struct mb_box *b, const char *message)
{
    double deadline = stack_now() + MB_WAIT_MS / 1000.0;
    int made = 0;
    while (!made) {
        struct reply *r = mb_get(c, b, message, NULL);
        cr_assert_eq(r->status, 200, "message %s: %ld %s", message, r->status, r->body);
        made = json_is_true(json_object_get(r->json, "pdf"));
        reply_free(r);
        if (!made) {
            cr_assert_lt(stack_now(), deadline, "the PDF of message %s was not made in %d s",
                         message, MB_WAIT_MS / 1000);
            stack_sleep(0.2);
        }
    }
    struct reply *r = mb_get(c, b, message, "application/pdf");
    cr_assert_eq(r->status, 200, "PDF of message %s: %ld %s", message, r->status, r->body);
    char *type = reply_header(r, "Content-Type");
    cr_assert(type && strncmp(type, "application/pdf", 15) == 0, "Content-Type %s",
              type ? type : "(none)");
    free(type);
    cr_assert(r->body_len > 5 && memcmp(r->body, "%PDF-", 5) == 0, "not a PDF (%zu bytes)",
              r->body_len);
    return r;
}

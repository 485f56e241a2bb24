/* Archive mailboxes, their settings: who sets one up, sees it, changes it, shares it and
 * deletes it; passwords sealed in the database and never answered; the checks of the server
 * settings; the Communicator flag of /api/v1/me; the test e-mail through the mailbox's own
 * SMTP settings; and a team's system account sending its automatic e-mails. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/client.h"
#include "support/mailboxes.h"
#include "support/maildir.h"
#include "support/offices.h"
#include "support/teams.h"
#include "support/testdb.h"

#define SMTP_PASSWORD "smtp-Secret-4242"

/* A team (a firm) with its administrator and two members who hold the member role only. */
struct firm {
    struct teams_user admin, member, other;
    char team[TEAMS_ID_MAX];
};

static void firm(struct firm *f)
{
    teams_admin(&f->admin, f->team);
    teams_join(&f->admin.c, f->team, NULL, &f->member);
    teams_join(&f->admin.c, f->team, NULL, &f->other);
}

/* A mailbox handle for an id the test already has. */
static struct mb_box box_of(const char *team, const char *id)
{
    struct mb_box b;
    memset(&b, 0, sizeof(b));
    snprintf(b.team, sizeof(b.team), "%s", team);
    snprintf(b.id, sizeof(b.id), "%s", id);
    return b;
}

/* A creation body for owner on a POP3 account the server does not have; switched off
 * (active: false), so that pli-jobs never polls it. */
static json_t *body_for(const char *owner, const char *address)
{
    struct p3_account a = {.user = "archive", .password = "pop3-Secret-1234"};
    json_t *body = mb_body(owner, address, "avocat@cabinet.example", &a, "none", 1);
    json_object_set_new(body, "active", json_false());
    return body;
}

/* Sets obj.member (stolen) in a body's nested object ("pop3" or "smtp"). */
static json_t *with_server(json_t *body, const char *server, const char *member, json_t *value)
{
    json_t *obj = json_object_get(body, server);
    if (value)
        json_object_set_new(obj, member, value);
    else
        json_object_del(obj, member);
    return body;
}

static void expect_created_field_problem(struct client *c, const char *team, json_t *body,
                                         const char *field, const char *code)
{
    struct reply *r = mb_create(c, team, body);
    teams_assert_field_problem(r, field, code);
    reply_free(r);
}

/* A creation by the administrator with one member of a server object changed (value NULL:
 * left out) is refused with this field error. */
static void expect_refused(struct firm *f, const char *server, const char *member, json_t *value,
                           const char *field, const char *code)
{
    json_t *body = with_server(body_for(f->admin.id, "a@x.example"), server, member, value);
    expect_created_field_problem(&f->admin.c, f->team, body, field, code);
}

/* GET /api/v1/me as c: its communicator flag. */
static int communicator(struct client *c)
{
    struct reply *r = client_send(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *flag = json_object_get(r->json, "communicator");
    cr_assert(json_is_boolean(flag), "no communicator flag: %s", r->body);
    int on = json_is_true(flag);
    reply_free(r);
    return on;
}

/* The sealed passwords of a mailbox in the database: "pop3|smtp". */
static const char *sealed(const char *mailbox, char *out, size_t size)
{
    const char *params[] = {mailbox};
    return testdb_text("SELECT pop3_password || '|' || coalesce(smtp_password, '') "
                       "FROM mailboxes WHERE id = $1",
                       1, params, out, size);
}

/* The latest audit event of this action on target, as text ("" when none). */
static const char *audit(const char *team, const char *action, const char *target, char *out,
                         size_t size)
{
    const char *params[] = {team, action, target};
    return testdb_text("SELECT coalesce(before::text, '') || coalesce(after::text, '') "
                       "FROM audit_events WHERE team_id = $1 AND action = $2 AND target = $3 "
                       "ORDER BY id DESC LIMIT 1",
                       3, params, out, size);
}

static void expect_no_secret(const char *text, const char *what)
{
    cr_assert_null(strstr(text, "pop3-Secret-1234"), "%s shows the POP3 password: %s", what, text);
    cr_assert_null(strstr(text, SMTP_PASSWORD), "%s shows the SMTP password: %s", what, text);
    cr_assert_null(strstr(text, "\"password\""), "%s has a password member: %s", what, text);
}

Test(mailboxes, created_with_sealed_passwords_that_are_never_answered)
{
    struct firm f;
    firm(&f);
    json_t *body = body_for(f.member.id, "Archive.Martin@Cabinet.EXAMPLE");
    json_object_set_new(body, "signature", json_string("Maître Martin\nAvocat"));
    json_object_set_new(body, "smtp",
                        json_pack("{s:s, s:i, s:s, s:s, s:s}", "host", "127.0.0.1", "port",
                                  mb_smtp_port(), "tls", "none", "username", "smtp-user",
                                  "password", SMTP_PASSWORD));
    struct reply *r = mb_create(&f.admin.c, f.team, body);
    cr_assert_eq(r->status, 201, "%s", r->body);
    expect_no_secret(r->body, "the creation answer");
    json_t *b = r->json;
    char id[TEAMS_ID_MAX];
    snprintf(id, sizeof(id), "%s", teams_str(b, "id"));
    cr_assert_str_eq(teams_str(b, "owner_user_id"), f.member.id);
    cr_assert_str_eq(teams_str(b, "address"), "archive.martin@cabinet.example", "lower-cased");
    cr_assert_str_eq(teams_str(b, "primary_address"), "avocat@cabinet.example");
    cr_assert_str_eq(teams_str(b, "signature"), "Maître Martin\nAvocat");
    cr_assert(json_is_false(json_object_get(b, "system_account")), "%s", r->body);
    cr_assert(json_is_false(json_object_get(b, "active")), "%s", r->body);
    cr_assert(json_is_true(json_object_get(b, "leave_on_server")), "%s", r->body);
    json_t *pop3 = json_object_get(b, "pop3"), *smtp = json_object_get(b, "smtp");
    cr_assert_str_eq(teams_str(pop3, "host"), "127.0.0.1");
    cr_assert_eq(json_integer_value(json_object_get(pop3, "port")), p3_port("none"));
    cr_assert_str_eq(teams_str(pop3, "tls"), "none");
    cr_assert_str_eq(teams_str(pop3, "username"), "archive");
    cr_assert_eq(json_object_size(pop3), 4, "pop3: host, port, tls, username only: %s", r->body);
    cr_assert_str_eq(teams_str(smtp, "username"), "smtp-user");
    cr_assert_eq(json_object_size(smtp), 4, "smtp: host, port, tls, username only: %s", r->body);
    cr_assert_eq(json_array_size(json_object_get(b, "grants")), 0, "%s", r->body);
    cr_assert(json_is_null(json_object_get(b, "last_polled_at")), "%s", r->body);
    cr_assert(json_is_null(json_object_get(b, "last_poll_error")), "%s", r->body);
    reply_free(r);

    /* Sealed in the database: neither column is, or holds, the password. */
    char stored[1024];
    sealed(id, stored, sizeof(stored));
    char *bar = strchr(stored, '|');
    cr_assert_not_null(bar);
    *bar = '\0';
    expect_no_secret(stored, "the pop3_password column");
    expect_no_secret(bar + 1, "the smtp_password column");
    cr_assert_gt(strlen(stored), strlen("pop3-Secret-1234"), "pop3_password: %s", stored);
    cr_assert_gt(strlen(bar + 1), strlen(SMTP_PASSWORD), "smtp_password: %s", bar + 1);
    cr_assert_eq(
        strspn(stored, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
        strlen(stored), "pop3_password is not base64: %s", stored);

    /* Nor in what the team reads back, or in its audit. */
    struct mb_box box = box_of(f.team, id);
    r = client_send(&f.member.c, "GET", mb_path(&box, ""), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    expect_no_secret(r->body, "GET");
    reply_free(r);
    r = client_send(&f.admin.c, "GET", tpath("/api/v1/teams/%s/mailboxes", f.team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    expect_no_secret(r->body, "the list");
    reply_free(r);
    char event[8192];
    cr_assert(audit(f.team, "mailbox.created", id, event, sizeof(event))[0], "no audit event");
    expect_no_secret(event, "the audit event");
}

Test(mailboxes, settings_are_checked)
{
    struct firm f;
    firm(&f);
    struct client *c = &f.admin.c;
    expect_refused(&f, "pop3", "password", NULL, "pop3.password", "required");
    expect_refused(&f, "pop3", "username", NULL, "pop3.username", "required");
    expect_refused(&f, "pop3", "host", json_string("pop.example.com"), "pop3.tls",
                   "plaintext_not_allowed");
    expect_refused(&f, "smtp", "host", json_string("smtp.example.com"), "smtp.tls",
                   "plaintext_not_allowed");
    expect_refused(&f, "pop3", "tls", json_string("ssl"), "pop3.tls", "not_allowed");
    expect_refused(&f, "smtp", "port", json_integer(0), "smtp.port", "out_of_range");
    json_t *body = body_for(f.admin.id, "a@x.example");
    json_object_del(body, "active");
    expect_created_field_problem(c, f.team, body, "active", "required");
    struct teams_user stranger;
    teams_user(&stranger);
    expect_created_field_problem(c, f.team, body_for(stranger.id, "a@x.example"), "owner_user_id",
                                 "not_a_member");
    const char *params[] = {f.team};
    cr_assert_eq(testdb_long("SELECT count(*) FROM mailboxes WHERE team_id = $1", 1, params), 0);

    /* Encrypted, a server elsewhere is fine; without TLS, only on this machine. */
    body = with_server(body_for(f.admin.id, "a@x.example"), "pop3", "host",
                       json_string("pop.example.com"));
    with_server(body, "pop3", "tls", json_string("starttls"));
    with_server(body, "smtp", "host", json_string("localhost"));
    struct reply *r = mb_create(c, f.team, body);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "pop3"), "host"), "pop.example.com");
    reply_free(r);
}

Test(mailboxes, one_address_and_one_system_account_per_team)
{
    struct firm f;
    firm(&f);
    struct client *c = &f.admin.c;
    json_t *body = body_for(f.admin.id, "archive@cabinet.example");
    json_object_set_new(body, "system_account", json_true());
    struct reply *r = mb_create(c, f.team, body);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert(json_is_true(json_object_get(r->json, "system_account")), "%s", r->body);
    reply_free(r);

    r = mb_create(c, f.team, body_for(f.member.id, "ARCHIVE@cabinet.example"));
    teams_assert_problem(r, 409, "mailbox_conflict");
    reply_free(r);
    body = body_for(f.member.id, "autre@cabinet.example");
    json_object_set_new(body, "system_account", json_true());
    r = mb_create(c, f.team, body);
    teams_assert_problem(r, 409, "mailbox_conflict");
    reply_free(r);

    /* A second mailbox may not become either by a change. */
    r = mb_create(c, f.team, body_for(f.member.id, "autre@cabinet.example"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    struct mb_box second = box_of(f.team, teams_str(r->json, "id"));
    reply_free(r);
    r = mb_patch(c, &second, json_pack("{s:b}", "system_account", 1));
    teams_assert_problem(r, 409, "mailbox_conflict");
    reply_free(r);
    r = mb_patch(c, &second, json_pack("{s:s}", "address", "archive@cabinet.example"));
    teams_assert_problem(r, 409, "mailbox_conflict");
    reply_free(r);

    /* Another team may use the same address. */
    struct firm g;
    firm(&g);
    r = mb_create(&g.admin.c, g.team, body_for(g.admin.id, "archive@cabinet.example"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
}

Test(mailboxes, who_sets_up_and_changes_a_mailbox)
{
    struct firm f;
    firm(&f);
    /* A member sets up its own mailbox, not a colleague's. */
    struct reply *r = mb_create(&f.member.c, f.team, body_for(f.member.id, "own@x.example"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    struct mb_box own = box_of(f.team, teams_str(r->json, "id"));
    reply_free(r);
    r = mb_create(&f.member.c, f.team, body_for(f.other.id, "other@x.example"));
    teams_assert_forbidden(r, "mailboxes.manage");
    reply_free(r);
    r = mb_create(&f.admin.c, f.team, body_for(f.other.id, "other@x.example"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);

    /* The owner changes its mailbox but does not hand it to someone else; the manager does. */
    r = mb_patch(&f.member.c, &own,
                 json_pack("{s:s, s:b}", "signature", "Camille", "leave_on_server", 0));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "signature"), "Camille");
    cr_assert(json_is_false(json_object_get(r->json, "leave_on_server")), "%s", r->body);
    reply_free(r);
    r = mb_patch(&f.member.c, &own, json_pack("{s:s}", "owner_user_id", f.other.id));
    teams_assert_forbidden(r, "mailboxes.manage");
    reply_free(r);
    r = mb_patch(&f.admin.c, &own, json_pack("{s:s}", "owner_user_id", f.other.id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "owner_user_id"), f.other.id);
    reply_free(r);
    /* No longer the owner: the member no longer sees it. */
    r = client_send(&f.member.c, "GET", mb_path(&own, ""), NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

/* Asserts the status of a request on a mailbox as c. */
static void expect_status(struct client *c, const char *method, const char *path, long status)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    const char *body = strcmp(method, "GET") == 0 || strcmp(method, "DELETE") == 0 ||
                               strstr(path, "/grants/") || strstr(path, "/poll")
                           ? NULL
                       : strstr(path, "/test-email") ? "{\"to\":\"someone@example.test\"}"
                                                     : "{\"signature\":\"x\"}";
    struct reply *r = client_send(c, method, path, body, body ? json_type : NULL);
    cr_assert_eq(r->status, status, "%s %s: %ld %s (expected %ld)", method, path, r->status,
                 r->body, status);
    if (status == 403)
        teams_assert_forbidden(r, "mailboxes.manage");
    if (status == 404)
        teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

/* The ids of the mailboxes c lists, comma-separated in list order, into out. */
static const char *listed(struct client *c, const char *team, char *out, size_t size)
{
    struct reply *r = client_send(c, "GET", tpath("/api/v1/teams/%s/mailboxes", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    size_t i, n = 0;
    json_t *item;
    out[0] = '\0';
    json_array_foreach(json_object_get(r->json, "items"), i, item) n +=
        (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "", teams_str(item, "id"));
    reply_free(r);
    return out;
}

Test(mailboxes, owner_grantee_and_colleague_see_what_they_may)
{
    struct firm f;
    firm(&f);
    /* Listed by address: a@ (the member's) before b@ (the other's). */
    struct reply *r = mb_create(&f.admin.c, f.team, body_for(f.member.id, "a@x.example"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    struct mb_box mine = box_of(f.team, teams_str(r->json, "id"));
    reply_free(r);
    r = mb_create(&f.admin.c, f.team, body_for(f.other.id, "b@x.example"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    struct mb_box theirs = box_of(f.team, teams_str(r->json, "id"));
    reply_free(r);

    char list[512], expected[512];
    cr_assert_str_eq(listed(&f.member.c, f.team, list, sizeof(list)), mine.id);
    cr_assert_str_eq(listed(&f.other.c, f.team, list, sizeof(list)), theirs.id);
    snprintf(expected, sizeof(expected), "%s,%s", mine.id, theirs.id);
    cr_assert_str_eq(listed(&f.admin.c, f.team, list, sizeof(list)), expected);

    /* A colleague without a grant: as if the mailbox did not exist. */
    struct client *m = &f.member.c;
    expect_status(m, "GET", mb_path(&theirs, ""), 404);
    expect_status(m, "PATCH", mb_path(&theirs, ""), 404);
    expect_status(m, "DELETE", mb_path(&theirs, ""), 404);
    expect_status(m, "POST", mb_path(&theirs, "/poll"), 404);
    expect_status(m, "POST", mb_path(&theirs, "/test-email"), 404);
    expect_status(m, "GET", mb_path(&theirs, "/messages"), 404);
    expect_status(m, "PUT", mb_path(&theirs, tpath("/grants/%s", f.member.id)), 404);

    /* Shared with it: it reads and polls, it does not manage. */
    r = mb_grant(&f.other.c, &theirs, f.member.id, 1);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cr_assert_str_eq(listed(m, f.team, list, sizeof(list)), expected);
    expect_status(m, "GET", mb_path(&theirs, ""), 200);
    expect_status(m, "GET", mb_path(&theirs, "/messages"), 200);
    expect_status(m, "POST", mb_path(&theirs, "/poll"), 202);
    expect_status(m, "PATCH", mb_path(&theirs, ""), 403);
    expect_status(m, "DELETE", mb_path(&theirs, ""), 403);
    expect_status(m, "POST", mb_path(&theirs, "/test-email"), 403);
    expect_status(m, "PUT", mb_path(&theirs, tpath("/grants/%s", f.admin.id)), 403);
    expect_status(m, "PATCH", mb_path(&mine, ""), 200);
}

Test(mailboxes, a_change_without_password_keeps_the_stored_one)
{
    struct firm f;
    firm(&f);
    struct mb_box box;
    mb_new(&f.admin.c, f.team, f.admin.id, "none", 1, &box);
    char before[1024], after[1024];
    sealed(box.id, before, sizeof(before));

    struct reply *r =
        mb_patch(&f.admin.c, &box,
                 json_pack("{s:{s:s, s:i, s:s, s:s}}", "pop3", "host", p3_host(), "port",
                           p3_port("starttls"), "tls", "starttls", "username", box.pop3.user));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "pop3"), "tls"), "starttls");
    reply_free(r);
    cr_assert_str_eq(sealed(box.id, after, sizeof(after)), before, "the password changed");
    mb_drop_mail(&box, "a@client.example", NULL, "Avant", "keep-1@client.example", NULL, "1");
    cr_assert_eq(mb_poll_until(&f.admin.c, &box, 1), 1);

    /* A new password, sealed again; the poll uses it. */
    p3_account_set_password(&box.pop3, "Nouveau-mot-2-passe");
    r = mb_patch(&f.admin.c, &box,
                 json_pack("{s:{s:s, s:i, s:s, s:s, s:s}}", "pop3", "host", p3_host(), "port",
                           p3_port("implicit"), "tls", "implicit", "username", box.pop3.user,
                           "password", "Nouveau-mot-2-passe"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_null(strstr(r->body, "Nouveau-mot-2-passe"), "%s", r->body);
    reply_free(r);
    sealed(box.id, after, sizeof(after));
    cr_assert_str_neq(after, before, "the password was not replaced");
    cr_assert_null(strstr(after, "Nouveau-mot-2-passe"), "stored as is: %s", after);
    mb_drop_mail(&box, "a@client.example", NULL, "Après", "keep-2@client.example", NULL, "2");
    cr_assert_eq(mb_poll_until(&f.admin.c, &box, 2), 2);
    char error[256];
    cr_assert_str_eq(mb_poll_error(&box, error, sizeof(error)), "");

    /* A server object is whole or refused; an audit event tells the change, without secrets. */
    r = mb_patch(&f.admin.c, &box,
                 json_pack("{s:{s:s, s:s}}", "pop3", "host", p3_host(), "username", "x"));
    teams_assert_field_problem(r, "pop3.port", "required");
    teams_assert_field_problem(r, "pop3.tls", "required");
    reply_free(r);
    char event[8192];
    cr_assert(audit(f.team, "mailbox.updated", box.id, event, sizeof(event))[0], "no audit");
    cr_assert_null(strstr(event, "Nouveau-mot-2-passe"), "%s", event);
    cr_assert_null(strstr(event, box.pop3.password), "%s", event);
}

Test(mailboxes, only_an_empty_mailbox_is_deleted)
{
    struct firm f;
    firm(&f);
    struct mb_box empty, used;
    mb_new(&f.admin.c, f.team, f.member.id, "none", 1, &empty);
    mb_new(&f.admin.c, f.team, f.member.id, "none", 1, &used);
    struct reply *r = client_send(&f.member.c, "DELETE", mb_path(&empty, ""), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    expect_status(&f.admin.c, "GET", mb_path(&empty, ""), 404);
    char event[8192];
    cr_assert(audit(f.team, "mailbox.deleted", empty.id, event, sizeof(event))[0], "no audit");

    mb_drop_mail(&used, "a@client.example", NULL, "Gardé", "kept-1@client.example", NULL, "x");
    mb_poll_until(&f.member.c, &used, 1);
    r = client_send(&f.member.c, "DELETE", mb_path(&used, ""), NULL, NULL);
    teams_assert_problem(r, 409, "mailbox_not_empty");
    reply_free(r);
    r = mb_patch(&f.member.c, &used, json_pack("{s:b}", "active", 0));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_false(json_object_get(r->json, "active")), "%s", r->body);
    reply_free(r);
    r = mb_list(&f.member.c, &used, NULL);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "%s", r->body);
    reply_free(r);
}

Test(mailboxes, grants_and_the_communicator)
{
    struct firm f;
    firm(&f);
    cr_assert_not(communicator(&f.admin.c), "no mailbox yet");
    struct mb_box box;
    mb_new(&f.admin.c, f.team, f.admin.id, "none", 1, &box);
    cr_assert(communicator(&f.admin.c), "owner of an active mailbox");
    cr_assert_not(communicator(&f.member.c), "neither owner nor grantee");

    struct reply *r = mb_grant(&f.admin.c, &box, f.member.id, 1);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    r = mb_grant(&f.admin.c, &box, f.member.id, 1);
    cr_assert_eq(r->status, 204, "granting again: %s", r->body);
    reply_free(r);
    r = client_send(&f.member.c, "GET", mb_path(&box, ""), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *grants = json_object_get(r->json, "grants");
    cr_assert_eq(json_array_size(grants), 1, "%s", r->body);
    cr_assert(teams_array_has(grants, f.member.id), "%s", r->body);
    reply_free(r);
    cr_assert(communicator(&f.member.c), "grantee");
    char event[8192];
    cr_assert(strstr(audit(f.team, "mailbox.shared", box.id, event, sizeof(event)), f.member.id),
              "audit: %s", event);

    struct teams_user stranger;
    teams_user(&stranger);
    r = mb_grant(&f.admin.c, &box, stranger.id, 1);
    teams_assert_problem(r, 404, "not_found");
    cr_assert_str_eq(teams_str(r->json, "detail"), "No such member", "%s", r->body);
    reply_free(r);
    r = mb_grant(&f.admin.c, &box, f.other.id, 0);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);

    r = mb_grant(&f.admin.c, &box, f.member.id, 0);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cr_assert_not(communicator(&f.member.c), "grant withdrawn");
    cr_assert(strstr(audit(f.team, "mailbox.unshared", box.id, event, sizeof(event)), f.member.id),
              "audit: %s", event);
    expect_status(&f.member.c, "GET", mb_path(&box, ""), 404);

    r = mb_patch(&f.admin.c, &box, json_pack("{s:b}", "active", 0));
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    cr_assert_not(communicator(&f.admin.c), "its only mailbox is switched off");
}

/* A TCP port on 127.0.0.1 where nothing listens (bound, then closed). */
static int closed_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    cr_assert(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
              getsockname(s, (struct sockaddr *)&a, &len) == 0);
    close(s);
    return ntohs(a.sin_port);
}

static struct reply *test_email(struct client *c, const struct mb_box *b, const char *to)
{
    return client_json(c, "POST", mb_path(b, "/test-email"), "{s:s}", "to", to);
}

Test(mailboxes, test_email_goes_through_the_mailbox_smtp_settings)
{
    struct firm f;
    firm(&f);
    struct mb_box box;
    mb_new(&f.admin.c, f.team, f.member.id, "none", 1, &box);
    char to[128];
    client_unique_email(to, sizeof(to), "test-email");
    struct reply *r = test_email(&f.member.c, &box, to);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_true(json_object_get(r->json, "sent")), "%s", r->body);
    reply_free(r);
    char *text = maildir_wait_for(to, "Ce message confirme", OF_MAIL_WAIT_MS);
    cr_assert_not_null(text, "the test e-mail did not arrive");
    free(text);
    char *raw = maildir_raw_for(to);
    char expected[256];
    snprintf(expected, sizeof(expected), "Louise Bernard <%s>", box.address);
    of_expect_header(raw, "From", 0, expected);
    snprintf(expected, sizeof(expected), "<%s>", to);
    of_expect_header(raw, "To", 0, expected);
    of_expect_header(raw, "Subject", 1, "Message de test de votre boîte d'archive");
    char id[256];
    cr_assert(of_header(raw, "Message-ID", 0, id, sizeof(id)) && strstr(id, "@example.test>"),
              "Message-ID of the mailbox's domain: %s", id);
    free(raw);

    /* Refused recipient, then no server at all: not sent, and why. */
    r = test_email(&f.member.c, &box, "personne@nowhere.invalid");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_false(json_object_get(r->json, "sent")), "%s", r->body);
    cr_assert(teams_str(r->json, "detail")[0], "%s", r->body);
    reply_free(r);
    r = mb_patch(&f.member.c, &box,
                 json_pack("{s:{s:s, s:i, s:s}}", "smtp", "host", "127.0.0.1", "port",
                           closed_port(), "tls", "none"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    char to2[128];
    client_unique_email(to2, sizeof(to2), "test-email");
    r = test_email(&f.admin.c, &box, to2);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_false(json_object_get(r->json, "sent")), "%s", r->body);
    cr_assert(teams_str(r->json, "detail")[0] &&
                  strcmp(teams_str(r->json, "detail"), "The server accepted the message") != 0,
              "%s", r->body);
    reply_free(r);
    cr_assert_eq(maildir_count_for(to2, OF_NO_MAIL_WAIT_MS, 1), 0, "an e-mail arrived anyway");
}

Test(mailboxes, system_account_sends_the_office_emails)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct teams_user manager;
    of_member(&o, "Élodie", "Gérard", NULL, &manager);
    char functional[128], matter[TEAMS_ID_MAX], system[128];
    client_unique_email(functional, sizeof(functional), "functional");
    of_addresses(&o, functional, NULL);
    of_matter(&o, "SYS-1", manager.id, NULL, matter);
    struct of_client cu = {0};
    of_signed_in_client(&o, matter, &cu);

    struct p3_account a;
    p3_account_new(&a, NULL);
    client_unique_email(system, sizeof(system), "cabinet");
    json_t *body = mb_body(o.admin.id, system, system, &a, "none", 1);
    json_object_set_new(body, "system_account", json_true());
    struct reply *r = mb_create(&o.admin.c, o.id, body);
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);

    r = client_send(&cu.c, "POST",
                    tpath("/api/v1/teams/%s/matters/%s/vat-periods/2025-Q1/complete", o.id, matter),
                    NULL, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
    struct of_mail m;
    of_wait_notification(&o, manager.email, "Documents TVA complets : SYS-1, période 2025-Q1", &m);
    char expected[256], sender[256];
    snprintf(expected, sizeof(expected), "Cabinet Lambert <%s>", system);
    of_expect_header(m.raw, "From", 0, expected);
    cr_assert(!of_header(m.raw, "Sender", 0, sender, sizeof(sender)), "a Sender: %s", sender);
    snprintf(expected, sizeof(expected), "<%s>", manager.email);
    of_expect_header(m.raw, "To", 0, expected);
    of_mail_free(&m);
}

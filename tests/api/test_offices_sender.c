/* Who the welcome e-mail of a new client user comes from, by the cascade of the help article:
 * the matter's manager, else its client group's e-mail, else the office's functional e-mail,
 * else its communication e-mail, in copy each time; and the error when no level has one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/maildir.h"
#include "support/offices.h"
#include "support/teams.h"
#include "support/testdb.h"

/* GET .../sender answers this address, name and rule. */
static void expect_sender(struct of_office *o, const char *matter, const char *address,
                          const char *name, const char *rule)
{
    struct reply *r = of_sender(o, matter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "address"), address, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "name"), name, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "rule"), rule, "%s", r->body);
    reply_free(r);
}

/* Creates a client user of the matter and checks its welcome e-mail: From is from_raw as sent
 * (NULL: encoded words, whatever their split) and "<name> <address>" once decoded, Sender the
 * system address, To the client user, Cc the sender's address, who also receives it; the row
 * keeps the sender with its rule. */
static void expect_welcome(struct of_office *o, const char *matter, const char *address,
                           const char *name, const char *rule, const char *from_raw)
{
    struct of_client cu = {0};
    client_unique_email(cu.email, sizeof(cu.email), "client");
    struct reply *r =
        of_create_client_user(&o->admin.c, o->id, matter, cu.email, "Jeanne", "Petit");
    cr_assert_eq(r->status, 201, "%s", r->body);
    json_t *sender = json_object_get(r->json, "sender");
    cr_assert_str_eq(teams_str(sender, "address"), address, "%s", r->body);
    cr_assert_str_eq(teams_str(sender, "name"), name, "%s", r->body);
    cr_assert_str_eq(teams_str(sender, "rule"), rule, "%s", r->body);
    snprintf(cu.id, sizeof(cu.id), "%s", teams_str(r->json, "id"));
    reply_free(r);

    struct of_mail m;
    char expected[1024];
    of_wait_welcome(&cu, 1, &m);
    if (from_raw) {
        of_expect_header(m.raw, "From", 0, from_raw);
    } else {
        of_header(m.raw, "From", 0, expected, sizeof(expected));
        cr_assert(strncmp(expected, "=?UTF-8?B?", 10) == 0, "From: %s", expected);
    }
    snprintf(expected, sizeof(expected), "%s <%s>", name, address);
    if (strpbrk(name, ",\"") == NULL) /* a quoted-string keeps its quotes once decoded */
        of_expect_header(m.raw, "From", 1, expected);
    snprintf(expected, sizeof(expected), "<%s>", of_system_address());
    of_expect_header(m.raw, "Sender", 0, expected);
    snprintf(expected, sizeof(expected), "<%s>", cu.email);
    of_expect_header(m.raw, "To", 0, expected);
    snprintf(expected, sizeof(expected), "<%s>", address);
    of_expect_header(m.raw, "Cc", 0, expected);
    /* The envelope, as the SMTP server recorded it: the copy really goes to the sender. */
    snprintf(expected, sizeof(expected), "%s, %s", cu.email, address);
    of_expect_header(m.raw, "X-RcptTo", 0, expected);
    of_expect_header(m.raw, "X-MailFrom", 0, of_system_address());
    snprintf(expected, sizeof(expected), "Bienvenue sur le portail de %s", o->name);
    of_expect_header(m.raw, "Subject", 1, expected);
    of_mail_free(&m);
}

/* A new address for one level of the cascade. */
static const char *address(char *out, size_t size, const char *prefix)
{
    client_unique_email(out, size, prefix);
    return out;
}

Test(offices_sender, manager_comes_first_with_an_encoded_name)
{
    struct of_office o;
    of_office(&o, "Cabinet Gérard");
    struct teams_user manager;
    of_member(&o, "Élodie", "Gérard", NULL, &manager);
    /* Every lower level is filled in too: the manager still wins. */
    char group_email[128], functional[128], communication[128], group[TEAMS_ID_MAX],
        matter[TEAMS_ID_MAX];
    of_client_group(&o, "Groupe Nord", address(group_email, 128, "group"), group);
    of_addresses(&o, address(functional, 128, "functional"),
                 address(communication, 128, "communication"));
    of_matter(&o, "GER-001", manager.id, group, matter);
    expect_sender(&o, matter, manager.email, "Élodie Gérard", "manager");
    char from[512];
    /* "Élodie Gérard" in UTF-8, base64 in one encoded word. */
    snprintf(from, sizeof(from), "=?UTF-8?B?w4lsb2RpZSBHw6lyYXJk?= <%s>", manager.email);
    expect_welcome(&o, matter, manager.email, "Élodie Gérard", "manager", from);
}

Test(offices_sender, client_group_email_without_a_manager)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char group_email[128], functional[128], communication[128], group[TEAMS_ID_MAX],
        matter[TEAMS_ID_MAX];
    of_client_group(&o, "Groupe Nord", address(group_email, 128, "group"), group);
    of_addresses(&o, address(functional, 128, "functional"),
                 address(communication, 128, "communication"));
    of_matter(&o, "LAM-001", NULL, group, matter);
    expect_sender(&o, matter, group_email, "Groupe Nord", "client_group");
    char from[512];
    snprintf(from, sizeof(from), "Groupe Nord <%s>", group_email);
    expect_welcome(&o, matter, group_email, "Groupe Nord", "client_group", from);
}

Test(offices_sender, functional_email_without_manager_or_group_email)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    /* The matter's group has no e-mail: the cascade passes it. */
    char functional[128], communication[128], group[TEAMS_ID_MAX], matter[TEAMS_ID_MAX];
    of_client_group(&o, "Groupe Sud", NULL, group);
    of_addresses(&o, address(functional, 128, "functional"),
                 address(communication, 128, "communication"));
    of_matter(&o, "LAM-002", NULL, group, matter);
    expect_sender(&o, matter, functional, "Cabinet Lambert", "functional_email");
    char from[512];
    snprintf(from, sizeof(from), "Cabinet Lambert <%s>", functional);
    expect_welcome(&o, matter, functional, "Cabinet Lambert", "functional_email", from);
}

Test(offices_sender, communication_email_last)
{
    struct of_office o;
    of_office(&o, "Fiduciaire Müller");
    char communication[128], matter[TEAMS_ID_MAX];
    of_addresses(&o, NULL, address(communication, 128, "communication"));
    of_matter(&o, "MUL-001", NULL, NULL, matter);
    expect_sender(&o, matter, communication, "Fiduciaire Müller", "communication_email");
    char from[512];
    /* "Fiduciaire Müller" in UTF-8, base64 in one encoded word. */
    snprintf(from, sizeof(from), "=?UTF-8?B?RmlkdWNpYWlyZSBNw7xsbGVy?= <%s>", communication);
    expect_welcome(&o, matter, communication, "Fiduciaire Müller", "communication_email", from);
}

Test(offices_sender, manager_who_left_falls_through)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct teams_user manager;
    of_member(&o, "Paul", "Girard", NULL, &manager);
    char functional[128], matter[TEAMS_ID_MAX];
    of_addresses(&o, address(functional, 128, "functional"), NULL);
    of_matter(&o, "LAM-003", manager.id, NULL, matter);
    expect_sender(&o, matter, manager.email, "Paul Girard", "manager");
    of_leave(&o, &manager);
    /* The matter still names them, but they are no longer the office's. */
    struct reply *r = client_send(&o.admin.c, "GET",
                                  tpath("/api/v1/teams/%s/matters/%s", o.id, matter), NULL, NULL);
    cr_assert_str_eq(teams_str(r->json, "manager_user_id"), manager.id, "%s", r->body);
    reply_free(r);
    expect_sender(&o, matter, functional, "Cabinet Lambert", "functional_email");
    char from[512];
    snprintf(from, sizeof(from), "Cabinet Lambert <%s>", functional);
    expect_welcome(&o, matter, functional, "Cabinet Lambert", "functional_email", from);
}

Test(offices_sender, group_name_with_specials_is_quoted)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char group_email[128], group[TEAMS_ID_MAX], matter[TEAMS_ID_MAX];
    of_client_group(&o, "Dupont, Jean", address(group_email, 128, "group"), group);
    of_matter(&o, "LAM-004", NULL, group, matter);
    expect_sender(&o, matter, group_email, "Dupont, Jean", "client_group");
    char from[512];
    snprintf(from, sizeof(from), "\"Dupont, Jean\" <%s>", group_email);
    expect_welcome(&o, matter, group_email, "Dupont, Jean", "client_group", from);
}

Test(offices_sender, quotes_in_a_name_are_escaped)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char group_email[128], group[TEAMS_ID_MAX], matter[TEAMS_ID_MAX];
    of_client_group(&o, "Cabinet \"Les Pins\"", address(group_email, 128, "group"), group);
    of_matter(&o, "LAM-007", NULL, group, matter);
    char from[512];
    snprintf(from, sizeof(from), "\"Cabinet \\\"Les Pins\\\"\" <%s>", group_email);
    expect_welcome(&o, matter, group_email, "Cabinet \"Les Pins\"", "client_group", from);
}

Test(offices_sender, long_accented_name_takes_several_encoded_words)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    const char *name = "Groupe Île-de-France — Comptabilité Générale et Sociale";
    char group_email[128], group[TEAMS_ID_MAX], matter[TEAMS_ID_MAX];
    of_client_group(&o, name, address(group_email, 128, "group"), group);
    of_matter(&o, "LAM-008", NULL, group, matter);
    expect_welcome(&o, matter, group_email, name, "client_group", NULL);
}

Test(offices_sender, line_breaks_never_reach_a_header)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct reply *r =
        client_json(&o.admin.c, "POST", tpath("/api/v1/teams/%s/client-groups", o.id), "{s:s, s:s}",
                    "name", "Nord\r\nBcc: victim@example.test", "email", "nord@example.test");
    teams_assert_field_problem(r, "name", "invalid_characters");
    reply_free(r);
    r = client_json(&o.admin.c, "POST", tpath("/api/v1/teams/%s/client-groups", o.id), "{s:s, s:s}",
                    "name", "Nord", "email", "nord@example.test\r\nBcc: x@y.test");
    teams_assert_field_problem(r, "email", "invalid_characters");
    reply_free(r);
    char functional[128], matter[TEAMS_ID_MAX];
    of_addresses(&o, address(functional, 128, "functional"), NULL);
    of_matter(&o, "LAM-009", NULL, NULL, matter);
    r = of_create_client_user(&o.admin.c, o.id, matter, "jeanne@example.test",
                              "Jeanne\nBcc:", "Petit");
    teams_assert_field_problem(r, "first_name", "invalid_characters");
    reply_free(r);
    r = of_put_settings(&o, json_pack("{s:s}", "functional_email", "a@b.test\nBcc: c@d.test"));
    teams_assert_field_problem(r, "functional_email", "invalid_characters");
    reply_free(r);
    const char *params[] = {o.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM client_groups WHERE team_id = $1", 1, params),
                 0);
}

Test(offices_sender, the_sender_chosen_at_creation_is_kept)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct teams_user manager;
    of_member(&o, "Paul", "Girard", NULL, &manager);
    char functional[128], matter[TEAMS_ID_MAX];
    of_addresses(&o, address(functional, 128, "functional"), NULL);
    of_matter(&o, "LAM-005", manager.id, NULL, matter);
    struct of_client cu = {0};
    of_add_client_user(&o, matter, "invited", &cu);
    struct reply *r =
        client_json(&o.admin.c, "PATCH", tpath("/api/v1/teams/%s/matters/%s", o.id, matter),
                    "{s:n}", "manager_user_id");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    expect_sender(&o, matter, functional, "Cabinet Lambert", "functional_email");
    r = client_send(&o.admin.c, "GET",
                    tpath("/api/v1/teams/%s/matters/%s/client-users", o.id, matter), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *sender =
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "sender");
    cr_assert_str_eq(teams_str(sender, "address"), manager.email, "%s", r->body);
    cr_assert_str_eq(teams_str(sender, "rule"), "manager", "%s", r->body);
    reply_free(r);
    struct of_mail m;
    char expected[256];
    of_wait_welcome(&cu, 1, &m);
    snprintf(expected, sizeof(expected), "<%s>", manager.email);
    of_expect_header(m.raw, "Cc", 0, expected);
    of_mail_free(&m);
}

Test(offices_sender, no_level_is_an_error_and_creates_nothing)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    /* A group without e-mail, an office without addresses, a matter without manager. */
    char group[TEAMS_ID_MAX], matter[TEAMS_ID_MAX], email[128];
    of_client_group(&o, "Groupe Sud", NULL, group);
    of_matter(&o, "LAM-006", NULL, group, matter);
    struct reply *r = of_sender(&o, matter);
    teams_assert_problem(r, 422, "sender_not_configured");
    reply_free(r);
    client_unique_email(email, sizeof(email), "client");
    r = of_create_client_user(&o.admin.c, o.id, matter, email, "Jeanne", "Petit");
    teams_assert_problem(r, 422, "sender_not_configured");
    reply_free(r);
    const char *by_matter[] = {matter}, *by_email[] = {email};
    cr_assert_eq(
        testdb_long("SELECT count(*) FROM client_users WHERE matter_id = $1", 1, by_matter), 0);
    cr_assert_eq(testdb_long("SELECT count(*) FROM users WHERE email = $1", 1, by_email), 0);
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs WHERE kind = 'client_user_welcome' "
                             "AND payload ->> 'matter_id' = $1",
                             1, by_matter),
                 0);
    /* Only an office address set afterwards makes it possible. */
    char functional[128];
    of_addresses(&o, address(functional, 128, "functional"), NULL);
    struct of_client cu = {0};
    snprintf(cu.email, sizeof(cu.email), "%s", email);
    of_add_client_user(&o, matter, "invited", &cu);
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs WHERE kind = 'client_user_welcome' "
                             "AND payload ->> 'matter_id' = $1",
                             1, by_matter),
                 1);
    /* The one welcome e-mail to that address is this one, from the functional e-mail. */
    struct of_mail m;
    of_wait_welcome(&cu, 1, &m);
    char from[256];
    snprintf(from, sizeof(from), "Cabinet Lambert <%s>", functional);
    of_expect_header(m.raw, "From", 0, from);
    of_mail_free(&m);
    cr_assert_eq(maildir_count_for(email, 0, 0), 1);
}

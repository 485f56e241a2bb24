/* The automatic e-mails of an office, by type: on the standard routing they go to the cascade
 * address of the matter (or of the office), on a custom routing to each chosen member still in
 * the office; each is recorded in notifications with its rule and recipients. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"
#include "support/maildir.h"
#include "support/offices.h"
#include "support/teams.h"
#include "support/testdb.h"

static const char *matter_path(const struct of_office *o, const char *matter, const char *suffix)
{
    return tpath("/api/v1/teams/%s/matters/%s%s", o->id, matter, suffix);
}

/* The client user completes a VAT period: 201 with a notification id. */
static void complete_period(const struct of_office *o, const char *matter, struct of_client *cu,
                            const char *period)
{
    struct reply *r =
        client_send(&cu->c, "POST",
                    matter_path(o, matter, tpath("/vat-periods/%s/complete", period)), NULL, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert(teams_str(r->json, "notification_id")[0], "%s", r->body);
    reply_free(r);
}

/* The client user writes to the office. */
static void send_message(const struct of_office *o, const char *matter, struct of_client *cu)
{
    struct reply *r =
        client_json(&cu->c, "POST", matter_path(o, matter, "/messages"), "{s:s, s:s}", "subject",
                    "Factures de mars", "body", "Les factures de mars sont en pièce jointe.");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert(teams_str(r->json, "notification_id")[0], "%s", r->body);
    reply_free(r);
}

/* The client user asks for an access for a colleague. */
static void request_user(const struct of_office *o, const char *matter, struct of_client *cu)
{
    struct reply *r =
        client_json(&cu->c, "POST", matter_path(o, matter, "/user-requests"),
                    "{s:s, s:s, s:s, s:s}", "email", "Luc.Roux@Example.TEST", "first_name", "Luc",
                    "last_name", "Roux", "note", "Notre comptable interne");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "email"), "luc.roux@example.test", "%s", r->body);
    cr_assert(teams_str(r->json, "notification_id")[0], "%s", r->body);
    reply_free(r);
}

/* Creates a client user whose address the SMTP server refuses: the welcome job dies at once. */
static void bouncing_client_user(struct of_office *o, const char *matter)
{
    struct of_client cu = {0};
    char unique[sizeof(cu.email)];
    client_unique_email(unique, sizeof(unique), "bounce");
    int local = (int)(strrchr(unique, '@') - unique);
    int w = snprintf(cu.email, sizeof(cu.email), "%.*s@nowhere.invalid", local, unique);
    cr_assert(w > 0 && (size_t)w < sizeof(cu.email), "address too long");
    of_add_client_user(o, matter, "invited", &cu);
}

/* A new contact group of the office, as the imports support expects it. */
static void contact_group(struct of_office *o, const char *name, struct groups_fixture *f)
{
    f->admin = o->admin.c;
    snprintf(f->team_id, sizeof(f->team_id), "%s", o->id);
    groups_new_group(&o->admin.c, o->id, name, f->group_id, sizeof(f->group_id));
}

/* An office import that leaves a row in error (a bad e-mail) or, when refused, an old binary
 * workbook it cannot read. */
static void failed_import(struct of_office *o, int refused)
{
    struct groups_fixture f;
    contact_group(o, refused ? "Contacts refusés" : "Contacts", &f);
    struct reply *r;
    if (refused) {
        const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old workbook";
        r = import_bytes(&f, xls, sizeof(xls) - 1, "application/vnd.ms-excel", false);
        teams_assert_problem(r, 422, "unreadable_file");
    } else {
        r = import_text(&f,
                        "E-mail;Nom;Prénom;Société;Statut\r\n"
                        "alice(at)example.fr;Durand;Alice;;particulier\r\n"
                        "bob@example.fr;Martin;Bob;;particulier\r\n",
                        false);
        import_expect(r, 2, 1, 0, 1);
    }
    reply_free(r);
}

/* ---- standard routing: the cascade address, level by level ---- */

Test(offices_notifications, vat_documents_ok_to_the_manager_once_per_period)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct teams_user manager;
    of_member(&o, "Élodie", "Gérard", NULL, &manager);
    char functional[128], matter[TEAMS_ID_MAX];
    client_unique_email(functional, sizeof(functional), "functional");
    of_addresses(&o, functional, NULL);
    of_matter(&o, "TVA-1", manager.id, NULL, matter);
    struct of_client cu = {0};
    of_signed_in_client(&o, matter, &cu);

    complete_period(&o, matter, &cu, "2024-Q1");
    struct of_mail m;
    of_wait_notification(&o, manager.email, "Documents TVA complets : TVA-1, période 2024-Q1", &m);
    char expected[256];
    snprintf(expected, sizeof(expected), "<%s>", manager.email);
    of_expect_header(m.raw, "To", 0, expected);
    snprintf(expected, sizeof(expected), "pli <%s>", of_system_address());
    of_expect_header(m.raw, "From", 0, expected);
    char cc[256];
    cr_assert(!of_header(m.raw, "Cc", 0, cc, sizeof(cc)), "a Cc: %s", cc);
    of_expect_header(m.raw, "X-RcptTo", 0, manager.email);
    cr_assert(strstr(m.text, cu.email) && strstr(m.text, "2024-Q1"), "%s", m.text);
    of_mail_free(&m);
    const char *const to[] = {manager.email, NULL};
    of_assert_notification(&o, "vat_documents_ok", "manager", to);

    /* The same period again: no new notification. */
    struct reply *r = client_send(
        &cu.c, "POST", matter_path(&o, matter, "/vat-periods/2024-Q1/complete"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "notification_id")), "%s", r->body);
    reply_free(r);
    /* Another period is told; once it is in, a repeated one would be too. */
    complete_period(&o, matter, &cu, "2024-03");
    of_wait_notification(&o, manager.email, "période 2024-03", &m);
    of_mail_free(&m);
    cr_assert_eq(of_notification_count(&o, "vat_documents_ok"), 2);
    /* The invitation, then one e-mail per period. */
    cr_assert_eq(maildir_count_for(manager.email, OF_NO_MAIL_WAIT_MS, 4), 3);
    cr_assert(!of_got_notification(functional), "the functional e-mail was told too");
}

Test(offices_notifications, messages_to_the_client_group_email)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char group_email[128], functional[128], group[TEAMS_ID_MAX], matter[TEAMS_ID_MAX];
    client_unique_email(group_email, sizeof(group_email), "group");
    client_unique_email(functional, sizeof(functional), "functional");
    of_addresses(&o, functional, NULL);
    of_client_group(&o, "Groupe Nord", group_email, group);
    of_matter(&o, "MSG-1", NULL, group, matter);
    struct of_client cu = {0};
    of_signed_in_client(&o, matter, &cu);

    send_message(&o, matter, &cu);
    struct of_mail m;
    of_wait_notification(&o, group_email, "Nouveau message : MSG-1, Factures de mars", &m);
    cr_assert(strstr(m.text, "Les factures de mars sont en pièce jointe."), "%s", m.text);
    of_mail_free(&m);
    const char *const to[] = {group_email, NULL};
    of_assert_notification(&o, "messages", "client_group", to);
    struct reply *r =
        client_send(&o.admin.c, "GET", matter_path(&o, matter, "/messages"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    cr_assert_str_eq(teams_str(first, "subject"), "Factures de mars", "%s", r->body);
    cr_assert_str_eq(teams_str(first, "sent_by"), cu.user_id, "%s", r->body);
    reply_free(r);
    cr_assert(!of_got_notification(functional), "the functional e-mail was told too");
}

Test(offices_notifications, user_requests_to_the_functional_email)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char functional[128], communication[128], group[TEAMS_ID_MAX], matter[TEAMS_ID_MAX];
    client_unique_email(functional, sizeof(functional), "functional");
    client_unique_email(communication, sizeof(communication), "communication");
    of_addresses(&o, functional, communication);
    of_client_group(&o, "Groupe Sud", NULL, group);
    of_matter(&o, "REQ-1", NULL, group, matter);
    struct of_client cu = {0};
    of_signed_in_client(&o, matter, &cu);

    request_user(&o, matter, &cu);
    struct of_mail m;
    of_wait_notification(&o, functional, "Demande d'utilisateur : REQ-1", &m);
    cr_assert(strstr(m.text, "luc.roux@example.test") && strstr(m.text, "Notre comptable interne"),
              "%s", m.text);
    of_mail_free(&m);
    const char *const to[] = {functional, NULL};
    of_assert_notification(&o, "user_requests", "functional_email", to);
    struct reply *r =
        client_send(&o.admin.c, "GET", matter_path(&o, matter, "/user-requests"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    cr_assert_str_eq(teams_str(first, "email"), "luc.roux@example.test", "%s", r->body);
    reply_free(r);
    cr_assert(!of_got_notification(communication), "the communication e-mail was told too");
}

Test(offices_notifications, failed_imports_to_the_communication_email)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char communication[128];
    client_unique_email(communication, sizeof(communication), "communication");
    of_addresses(&o, NULL, communication);

    failed_import(&o, 0);
    struct of_mail m;
    of_wait_notification(&o, communication, "Import de contacts à reprendre", &m);
    cr_assert(strstr(m.text, "1 ligne(s) en erreur"), "%s", m.text);
    of_mail_free(&m);
    const char *const to[] = {communication, NULL};
    of_assert_notification(&o, "failed_tasks", "communication_email", to);
    const char *params[] = {o.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM notifications WHERE team_id = $1 "
                             "AND type = 'failed_tasks' AND matter_id IS NULL",
                             1, params),
                 1);

    failed_import(&o, 1);
    cr_assert_eq(of_notification_count(&o, "failed_tasks"), 2, "a refused file is told too");
    cr_assert_eq(maildir_count_for(communication, OF_MAIL_WAIT_MS, 2), 2);
}

Test(offices_notifications, dry_runs_and_clean_imports_tell_nobody)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    of_addresses(&o, NULL, "communication@lambert.test");
    struct groups_fixture f;
    contact_group(&o, "Contacts", &f);
    struct reply *r = import_text(&f,
                                  "E-mail;Nom;Prénom;Société;Statut\r\n"
                                  "alice(at)example.fr;Durand;Alice;;particulier\r\n",
                                  true);
    import_expect(r, 1, 0, 0, 1);
    reply_free(r);
    r = import_text(&f,
                    "E-mail;Nom;Prénom;Société;Statut\r\n"
                    "bob@example.fr;Martin;Bob;;particulier\r\n",
                    false);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
    cr_assert_eq(of_notification_count(&o, "failed_tasks"), 0);
}

Test(offices_notifications, no_cascade_address_records_rule_none)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    failed_import(&o, 0);
    const char *const nobody[] = {NULL};
    of_assert_notification(&o, "failed_tasks", "none", nobody);
    const char *params[] = {o.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs j JOIN notifications n "
                             "ON n.id::text = j.payload ->> 'notification_id' "
                             "WHERE n.team_id = $1",
                             1, params),
                 0, "an e-mail job for no recipient");
}

Test(offices_notifications, bounced_welcome_is_a_failed_task_for_the_matter)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct teams_user manager;
    of_member(&o, "Paul", "Girard", NULL, &manager);
    char matter[TEAMS_ID_MAX];
    of_matter(&o, "BNC-1", manager.id, NULL, matter);
    bouncing_client_user(&o, matter);
    struct of_mail m;
    of_wait_notification(&o, manager.email,
                         "Tâche échouée : e-mail de bienvenue d'un utilisateur client", &m);
    cr_assert(strstr(m.text, "(dossier BNC-1)"), "%s", m.text);
    of_mail_free(&m);
    const char *const to[] = {manager.email, NULL};
    of_assert_notification(&o, "failed_tasks", "manager", to);
    const char *params[] = {matter};
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs WHERE kind = 'client_user_welcome' "
                             "AND state = 'dead' AND payload ->> 'matter_id' = $1",
                             1, params),
                 1);
    cr_assert_eq(testdb_long("SELECT count(*) FROM notifications WHERE matter_id = $1 "
                             "AND type = 'failed_tasks'",
                             1, params),
                 1);
}

/* ---- custom routing: each chosen member still in the office ---- */

/* An office with a functional e-mail (the standard address, which a custom routing passes by),
 * a matter, a signed-in client user, and four members: two chosen, one not, and one chosen who
 * then left the office. */
struct custom {
    struct of_office o;
    char functional[128], matter[TEAMS_ID_MAX];
    struct teams_user chosen[2], other, gone;
    struct of_client cu;
};

static void custom_setup(struct custom *s, const char *type, int with_client)
{
    memset(s, 0, sizeof(*s));
    of_office(&s->o, "Cabinet Lambert");
    client_unique_email(s->functional, sizeof(s->functional), "functional");
    of_addresses(&s->o, s->functional, NULL);
    of_member(&s->o, "Paul", "Girard", NULL, &s->chosen[0]);
    of_member(&s->o, "Inès", "Moreau", NULL, &s->chosen[1]);
    of_member(&s->o, "Luc", "Roux", NULL, &s->other);
    of_member(&s->o, "Anne", "Petit", NULL, &s->gone);
    of_route_custom(&s->o, type,
                    json_pack("[s, s, s]", s->chosen[0].id, s->chosen[1].id, s->gone.id),
                    s->functional, NULL);
    of_leave(&s->o, &s->gone);
    of_matter(&s->o, "CUS-1", NULL, NULL, s->matter);
    if (with_client)
        of_signed_in_client(&s->o, s->matter, &s->cu);
}

/* Each chosen member still in the office got one e-mail of this subject; nobody else did. */
static void expect_custom_delivery(struct custom *s, const char *type, const char *fragment)
{
    for (int i = 0; i < 2; i++) {
        struct of_mail m;
        of_wait_notification(&s->o, s->chosen[i].email, fragment, &m);
        char to[160];
        snprintf(to, sizeof(to), "<%s>", s->chosen[i].email);
        of_expect_header(m.raw, "To", 0, to);
        of_mail_free(&m);
    }
    const char *const to[] = {s->chosen[0].email, s->chosen[1].email, NULL};
    of_assert_notification(&s->o, type, "custom", to);
    cr_assert_eq(of_notification_count(&s->o, type), 1);
    cr_assert(!of_got_notification(s->other.email), "a member who was not chosen was told");
    cr_assert(!of_got_notification(s->gone.email), "a member who left was told");
    cr_assert(!of_got_notification(s->functional), "the standard address was told");
}

Test(offices_notifications, custom_vat_documents_ok)
{
    struct custom s;
    custom_setup(&s, "vat_documents_ok", 1);
    complete_period(&s.o, s.matter, &s.cu, "2025");
    expect_custom_delivery(&s, "vat_documents_ok", "Documents TVA complets : CUS-1, période 2025");
}

Test(offices_notifications, custom_messages)
{
    struct custom s;
    custom_setup(&s, "messages", 1);
    send_message(&s.o, s.matter, &s.cu);
    expect_custom_delivery(&s, "messages", "Nouveau message : CUS-1, Factures de mars");
}

Test(offices_notifications, custom_user_requests)
{
    struct custom s;
    custom_setup(&s, "user_requests", 1);
    request_user(&s.o, s.matter, &s.cu);
    expect_custom_delivery(&s, "user_requests", "Demande d'utilisateur : CUS-1");
}

Test(offices_notifications, custom_failed_tasks_for_a_bounced_welcome)
{
    struct custom s;
    custom_setup(&s, "failed_tasks", 0);
    bouncing_client_user(&s.o, s.matter);
    expect_custom_delivery(&s, "failed_tasks",
                           "Tâche échouée : e-mail de bienvenue d'un utilisateur client");
}

Test(offices_notifications, custom_failed_tasks_for_an_import)
{
    struct custom s;
    custom_setup(&s, "failed_tasks", 0);
    failed_import(&s.o, 0);
    expect_custom_delivery(&s, "failed_tasks", "Import de contacts à reprendre");
}

Test(offices_notifications, custom_routing_of_one_type_leaves_the_others_standard)
{
    struct custom s;
    custom_setup(&s, "messages", 1);
    complete_period(&s.o, s.matter, &s.cu, "2025-Q2");
    struct of_mail m;
    of_wait_notification(&s.o, s.functional, "période 2025-Q2", &m);
    of_mail_free(&m);
    const char *const to[] = {s.functional, NULL};
    of_assert_notification(&s.o, "vat_documents_ok", "functional_email", to);
    cr_assert(!of_got_notification(s.chosen[0].email), "chosen for messages only");
}

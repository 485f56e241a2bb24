/* Client users of an office's matters (creation, the welcome link, one office at a time), the
 * matters and client groups they belong to, the office's e-mail settings, and who may see
 * what. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/offices.h"
#include "support/teams.h"
#include "support/testdb.h"

static struct reply *get(struct client *c, const char *path)
{
    return client_send(c, "GET", path, NULL, NULL);
}

/* An office with a functional e-mail (every matter has a sender) and one matter. */
struct setup {
    struct of_office o;
    char matter[TEAMS_ID_MAX], functional[128];
};

static void office_with_matter(struct setup *s, const char *office_name, const char *reference)
{
    of_office(&s->o, office_name);
    client_unique_email(s->functional, sizeof(s->functional), "functional");
    of_addresses(&s->o, s->functional, NULL);
    of_matter(&s->o, reference, NULL, NULL, s->matter);
}

static const char *matter_path(const struct setup *s, const char *suffix)
{
    return tpath("/api/v1/teams/%s/matters/%s%s", s->o.id, s->matter, suffix);
}

/* The client users of the setup's matter, as the administrator reads them. */
static json_t *client_users(struct setup *s)
{
    struct reply *r = get(&s->o.admin.c, matter_path(s, "/client-users"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_incref(json_object_get(r->json, "items"));
    reply_free(r);
    return items;
}

/* ---- creation and the welcome link ---- */

Test(offices_client_users, new_address_is_invited_with_an_account_without_password)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-100");
    char email[128], upper[160];
    client_unique_email(email, sizeof(email), "client");
    snprintf(upper, sizeof(upper), "%s", email);
    for (char *p = upper; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    struct reply *r =
        of_create_client_user(&s.o.admin.c, s.o.id, s.matter, upper, "Jeanne", "Petit");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "email"), email, "lower-cased: %s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "invited", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "matter_id"), s.matter, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "first_name"), "Jeanne", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "last_name"), "Petit", "%s", r->body);
    cr_assert(teams_str(r->json, "expires_at")[0], "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "activated_at")), "%s", r->body);
    const char *params[] = {teams_str(r->json, "user_id"), email};
    cr_assert_eq(testdb_long("SELECT count(*) FROM users WHERE id = $1 AND email = $2 "
                             "AND password_hash IS NULL",
                             2, params),
                 1, "no account without password for %s", email);
    const char *audit[] = {s.o.id, teams_str(r->json, "id")};
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND action = 'client_user.created' AND target = $2",
                             2, audit),
                 1);
    reply_free(r);
    json_t *items = client_users(&s);
    cr_assert_eq(json_array_size(items), 1);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "email"), email);
    json_decref(items);
}

Test(offices_client_users, welcome_link_shows_then_sets_the_password_once)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-101");
    struct of_client cu = {0};
    of_add_client_user(&s.o, s.matter, "invited", &cu);
    struct of_mail m;
    char token[TEAMS_TOKEN_MAX];
    of_wait_welcome(&cu, 1, &m);
    of_welcome_token(m.text, token);
    cr_assert(strstr(m.text, "LAM-101"), "the e-mail names the matter:\n%s", m.text);
    of_mail_free(&m);

    struct client anon;
    client_init(&anon);
    struct reply *r = get(&anon, tpath("/api/v1/welcome/%s", token));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "email"), cu.email, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "first_name"), "Jeanne", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "last_name"), "Petit", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "office"), "Cabinet Lambert", "%s", r->body);
    json_t *matter = json_object_get(r->json, "matter");
    cr_assert_str_eq(teams_str(matter, "reference"), "LAM-101", "%s", r->body);
    cr_assert_str_eq(teams_str(matter, "name"), "Dossier LAM-101", "%s", r->body);
    cr_assert(teams_str(r->json, "expires_at")[0], "%s", r->body);
    reply_free(r);

    r = client_json(&anon, "POST", tpath("/api/v1/welcome/%s/password", token), "{s:s}", "password",
                    "short");
    teams_assert_field_problem(r, "password", "too_short");
    reply_free(r);
    r = client_json(&anon, "POST", tpath("/api/v1/welcome/%s/password", token), "{s:s}", "password",
                    CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "user"), "email"), cu.email, "%s", r->body);
    cr_assert(anon.session[0], "no session cookie");
    reply_free(r);

    r = get(&anon, "/api/v1/me");
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *first = json_array_get(json_object_get(r->json, "client_matters"), 0);
    cr_assert_str_eq(teams_str(json_object_get(first, "office"), "id"), s.o.id, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(first, "office"), "name"), "Cabinet Lambert");
    cr_assert_str_eq(teams_str(json_object_get(first, "matter"), "id"), s.matter, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(first, "matter"), "reference"), "LAM-101");
    cr_assert_eq(json_array_size(json_object_get(r->json, "client_matters")), 1, "%s", r->body);
    reply_free(r);

    /* Used: the link no longer shows nor sets anything. */
    struct client other;
    client_init(&other);
    r = get(&other, tpath("/api/v1/welcome/%s", token));
    teams_assert_problem(r, 410, "welcome_link_unusable");
    reply_free(r);
    r = client_json(&other, "POST", tpath("/api/v1/welcome/%s/password", token), "{s:s}",
                    "password", "another password");
    teams_assert_problem(r, 410, "welcome_link_unusable");
    cr_assert(!other.session[0], "a used link signed someone in");
    reply_free(r);

    /* The password set through the link signs in; the one tried afterwards does not. */
    struct client again;
    client_init(&again);
    r = client_login(&again, cu.email, "another password");
    teams_assert_problem(r, 401, "invalid_credentials");
    reply_free(r);
    r = client_login(&again, cu.email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(again.session[0]);
    reply_free(r);

    json_t *items = client_users(&s);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "status"), "active");
    cr_assert(teams_str(json_array_get(items, 0), "activated_at")[0]);
    json_decref(items);
}

Test(offices_client_users, waiting_account_neither_signs_in_nor_is_taken_over)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-111");
    struct of_client cu = {0};
    of_add_client_user(&s.o, s.matter, "invited", &cu);
    struct client c;
    client_init(&c);
    struct reply *r = client_login(&c, cu.email, CLIENT_PASSWORD);
    teams_assert_problem(r, 401, "invalid_credentials");
    reply_free(r);
    r = client_json(&c, "POST", "/api/v1/auth/signup", "{s:s, s:s, s:s, s:s}", "email", cu.email,
                    "password", CLIENT_PASSWORD, "first_name", "Mallory", "last_name", "X");
    teams_assert_problem(r, 409, "email_taken");
    cr_assert(!c.session[0], "signed in over a waiting client user");
    reply_free(r);
    const char *params[] = {cu.user_id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM users WHERE id = $1 AND password_hash IS NULL "
                             "AND first_name = 'Jeanne'",
                             1, params),
                 1);
}

Test(offices_client_users, unknown_welcome_link_is_not_found)
{
    struct client anon;
    client_init(&anon);
    const char *token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    struct reply *r = get(&anon, tpath("/api/v1/welcome/%s", token));
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    r = client_json(&anon, "POST", tpath("/api/v1/welcome/%s/password", token), "{s:s}", "password",
                    CLIENT_PASSWORD);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

/* Ages a client user's welcome past its expiry in the database. */
static void lapse(const char *client_user)
{
    const char *params[] = {client_user};
    cr_assert_eq(testdb_long("WITH aged AS (UPDATE client_users SET expires_at = now() - "
                             "interval '1 minute' WHERE id = $1 RETURNING 1) "
                             "SELECT count(*) FROM aged",
                             1, params),
                 1, "no client user %s to age", client_user);
}

Test(offices_client_users, expired_welcome_link_is_unusable_until_sent_again)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-102");
    struct of_client cu = {0};
    of_add_client_user(&s.o, s.matter, "invited", &cu);
    struct of_mail m;
    char old_token[TEAMS_TOKEN_MAX], token[TEAMS_TOKEN_MAX];
    of_wait_welcome(&cu, 1, &m);
    of_welcome_token(m.text, old_token);
    of_mail_free(&m);
    lapse(cu.id);
    struct client anon;
    client_init(&anon);
    struct reply *r = get(&anon, tpath("/api/v1/welcome/%s", old_token));
    teams_assert_problem(r, 410, "welcome_link_unusable");
    reply_free(r);
    r = client_json(&anon, "POST", tpath("/api/v1/welcome/%s/password", old_token), "{s:s}",
                    "password", CLIENT_PASSWORD);
    teams_assert_problem(r, 410, "welcome_link_unusable");
    reply_free(r);
    json_t *items = client_users(&s);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "status"), "expired");
    json_decref(items);

    /* Created again: the same client user, a second welcome with a new link. */
    struct of_client again = {0};
    snprintf(again.email, sizeof(again.email), "%s", cu.email);
    of_add_client_user(&s.o, s.matter, "invited", &again);
    cr_assert_str_eq(again.id, cu.id);
    of_wait_welcome(&cu, 2, &m);
    of_welcome_token(m.text, token);
    of_mail_free(&m);
    cr_assert_str_neq(token, old_token);
    r = client_json(&anon, "POST", tpath("/api/v1/welcome/%s/password", old_token), "{s:s}",
                    "password", CLIENT_PASSWORD);
    cr_assert_geq(r->status, 400, "the old link still works: %s", r->body);
    cr_assert(!anon.session[0], "the old link signed someone in");
    reply_free(r);
    r = client_json(&anon, "POST", tpath("/api/v1/welcome/%s/password", token), "{s:s}", "password",
                    CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(offices_client_users, existing_account_is_active_at_once_without_link)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-103");
    struct teams_user u;
    teams_user(&u);
    struct of_client cu = {0};
    snprintf(cu.email, sizeof(cu.email), "%s", u.email);
    of_add_client_user(&s.o, s.matter, "active", &cu);
    cr_assert_str_eq(cu.user_id, u.id);
    struct of_mail m;
    of_wait_welcome(&cu, 1, &m);
    cr_assert(strstr(m.text, "Connectez-vous avec votre compte existant"), "%s", m.text);
    cr_assert(!strstr(m.text, "/welcome/"), "a link for an account that has a password:\n%s",
              m.text);
    of_mail_free(&m);
    struct reply *r = get(&u.c, "/api/v1/me");
    json_t *first = json_array_get(json_object_get(r->json, "client_matters"), 0);
    cr_assert_str_eq(teams_str(json_object_get(first, "matter"), "id"), s.matter, "%s", r->body);
    reply_free(r);
    /* The account keeps its password. */
    struct client again;
    client_init(&again);
    r = client_login(&again, u.email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(offices_client_users, one_link_activates_every_waiting_matter_of_the_office)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-104");
    char second[TEAMS_ID_MAX];
    of_matter(&s.o, "LAM-105", NULL, NULL, second);
    struct of_client cu = {0}, twin = {0};
    of_add_client_user(&s.o, s.matter, "invited", &cu);
    snprintf(twin.email, sizeof(twin.email), "%s", cu.email);
    of_add_client_user(&s.o, second, "invited", &twin);
    cr_assert_str_eq(twin.user_id, cu.user_id, "one account for both matters");
    of_welcome_sign_in(&cu);
    struct reply *r = get(&cu.c, "/api/v1/me");
    cr_assert_eq(json_array_size(json_object_get(r->json, "client_matters")), 2, "%s", r->body);
    reply_free(r);
    const char *params[] = {cu.user_id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM client_users WHERE user_id = $1 "
                             "AND status = 'active' AND activated_at IS NOT NULL",
                             1, params),
                 2);
}

Test(offices_client_users, already_active_elsewhere_suggests_an_alias)
{
    struct setup a, b;
    office_with_matter(&a, "Cabinet Lambert", "LAM-106");
    office_with_matter(&b, "Cabinet Durand & Fils", "DUR-001");
    /* Invited at A (not expired), then an account already active at A. */
    struct of_client invited = {0}, active = {0};
    client_unique_email(invited.email, sizeof(invited.email), "jean");
    of_add_client_user(&a.o, a.matter, "invited", &invited);
    struct teams_user u;
    teams_user(&u);
    snprintf(active.email, sizeof(active.email), "%s", u.email);
    of_add_client_user(&a.o, a.matter, "active", &active);
    const char *emails[] = {invited.email, active.email};
    for (size_t i = 0; i < 2; i++) {
        struct reply *r =
            of_create_client_user(&b.o.admin.c, b.o.id, b.matter, emails[i], "Jean", "Roux");
        teams_assert_problem(r, 409, "already_active_elsewhere");
        char alias[160];
        const char *at = strchr(emails[i], '@');
        snprintf(alias, sizeof(alias), "%.*s+cabinetdurandfils%s", (int)(at - emails[i]), emails[i],
                 at);
        cr_assert(strstr(teams_str(r->json, "detail"), alias), "no %s in %s", alias, r->body);
        reply_free(r);
    }
    const char *params[] = {b.matter};
    cr_assert_eq(testdb_long("SELECT count(*) FROM client_users WHERE matter_id = $1", 1, params),
                 0);
}

Test(offices_client_users, expired_invitation_elsewhere_is_allowed)
{
    struct setup a, b;
    office_with_matter(&a, "Cabinet Lambert", "LAM-107");
    office_with_matter(&b, "Cabinet Durand", "DUR-002");
    struct of_client cu = {0}, again = {0};
    of_add_client_user(&a.o, a.matter, "invited", &cu);
    lapse(cu.id);
    snprintf(again.email, sizeof(again.email), "%s", cu.email);
    of_add_client_user(&b.o, b.matter, "invited", &again);
    cr_assert_str_eq(again.user_id, cu.user_id, "the same account");
}

Test(offices_client_users, same_person_twice_on_a_matter)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-108");
    struct of_client cu = {0};
    of_add_client_user(&s.o, s.matter, "invited", &cu);
    char upper[128];
    snprintf(upper, sizeof(upper), "%s", cu.email);
    upper[0] = (char)(upper[0] - 32);
    struct reply *r =
        of_create_client_user(&s.o.admin.c, s.o.id, s.matter, upper, "Jeanne", "Petit");
    teams_assert_problem(r, 409, "client_user_exists");
    reply_free(r);
    json_t *items = client_users(&s);
    cr_assert_eq(json_array_size(items), 1);
    json_decref(items);
}

Test(offices_client_users, creation_validation)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-109");
    struct client *c = &s.o.admin.c;
    const char *path = matter_path(&s, "/client-users");
    struct reply *r =
        client_json(c, "POST", path, "{s:s, s:s}", "first_name", "Jeanne", "last_name", "Petit");
    teams_assert_field_problem(r, "email", "required");
    reply_free(r);
    r = of_create_client_user(c, s.o.id, s.matter, "not-an-address", "Jeanne", "Petit");
    teams_assert_field_problem(r, "email", "invalid_format");
    reply_free(r);
    r = of_create_client_user(c, s.o.id, s.matter, "jeanne@example.test", "", "Petit");
    teams_assert_field_problem(r, "first_name", "required");
    reply_free(r);
    r = client_json(c, "POST", path, "{s:s, s:s, s:s, s:s}", "email", "jeanne@example.test",
                    "first_name", "Jeanne", "last_name", "Petit", "role", "admin");
    teams_assert_field_problem(r, "role", "unknown_field");
    reply_free(r);
    r = of_create_client_user(c, s.o.id, "00000000-0000-4000-8000-000000000000",
                              "jeanne@example.test", "Jeanne", "Petit");
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    json_t *items = client_users(&s);
    cr_assert_eq(json_array_size(items), 0);
    json_decref(items);
}

Test(offices_client_users, managing_needs_clients_manage)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-110");
    char role[TEAMS_ID_MAX];
    const char *const settings_only[] = {"settings.manage", NULL};
    teams_role(&s.o.admin.c, s.o.id, "Réglages", settings_only, role);
    struct teams_user m;
    of_member(&s.o, "Paul", "Girard", role, &m);
    struct reply *r =
        of_create_client_user(&m.c, s.o.id, s.matter, "jeanne@example.test", "Jeanne", "Petit");
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    r = client_json(&m.c, "POST", tpath("/api/v1/teams/%s/matters", s.o.id), "{s:s, s:s}",
                    "reference", "X-1", "name", "X");
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    r = client_json(&m.c, "PATCH", matter_path(&s, ""), "{s:s}", "name", "Renamed");
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    r = client_json(&m.c, "POST", tpath("/api/v1/teams/%s/client-groups", s.o.id), "{s:s}", "name",
                    "Groupe");
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    /* Reading is for every member. */
    const char *reads[] = {matter_path(&s, ""), matter_path(&s, "/client-users"),
                           matter_path(&s, "/sender"), tpath("/api/v1/teams/%s/matters", s.o.id),
                           tpath("/api/v1/teams/%s/client-groups", s.o.id)};
    for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
        r = get(&m.c, reads[i]);
        cr_assert_eq(r->status, 200, "GET %s: %s", reads[i], r->body);
        reply_free(r);
    }
}

/* ---- matters ---- */

/* POST .../matters with a body of reference and name (and more, through the extra object). */
static struct reply *post_matter(struct of_office *o, const char *reference, json_t *extra)
{
    json_t *body = json_pack("{s:s, s:s}", "reference", reference, "name", "Boulangerie Roux");
    if (extra) {
        json_object_update(body, extra);
        json_decref(extra);
    }
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r =
        client_send(&o->admin.c, "POST", tpath("/api/v1/teams/%s/matters", o->id), text, json_type);
    free(text);
    return r;
}

Test(offices_client_users, matter_created_and_read)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct teams_user manager;
    of_member(&o, "Paul", "Girard", NULL, &manager);
    char group[TEAMS_ID_MAX];
    of_client_group(&o, "Groupe Nord", NULL, group);
    struct reply *r = post_matter(
        &o, "ROUX.2024/01_a-b",
        json_pack("{s:s, s:s}", "manager_user_id", manager.id, "client_group_id", group));
    cr_assert_eq(r->status, 201, "%s", r->body);
    char id[TEAMS_ID_MAX];
    snprintf(id, sizeof(id), "%s", teams_str(r->json, "id"));
    cr_assert_str_eq(teams_str(r->json, "reference"), "ROUX.2024/01_a-b", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "name"), "Boulangerie Roux", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "manager_user_id"), manager.id, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "client_group_id"), group, "%s", r->body);
    cr_assert(teams_str(r->json, "created_at")[0] && teams_str(r->json, "updated_at")[0], "%s",
              r->body);
    reply_free(r);
    r = get(&o.admin.c, tpath("/api/v1/teams/%s/matters/%s", o.id, id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "reference"), "ROUX.2024/01_a-b", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "manager_user_id"), manager.id, "%s", r->body);
    reply_free(r);
    const char *params[] = {o.id, id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND action = 'matter.created' AND target = $2",
                             2, params),
                 1);
}

Test(offices_client_users, matter_reference_format)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    const char *bad[] = {"-ABC", ".ABC", "AB C", "AB#1", "Été-1", "AB,1", "AB:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct reply *r = post_matter(&o, bad[i], NULL);
        teams_assert_field_problem(r, "reference", "invalid_format");
        reply_free(r);
    }
    char longest[42];
    memset(longest, 'A', 41);
    longest[41] = '\0';
    struct reply *r = post_matter(&o, longest, NULL);
    teams_assert_field_problem(r, "reference", "too_long");
    reply_free(r);
    longest[40] = '\0';
    r = post_matter(&o, longest, NULL);
    cr_assert_eq(r->status, 201, "40 characters: %s", r->body);
    reply_free(r);
    r = post_matter(&o, "7", NULL);
    cr_assert_eq(r->status, 201, "one digit: %s", r->body);
    reply_free(r);
    const char *params[] = {o.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM matters WHERE team_id = $1", 1, params), 2);
}

Test(offices_client_users, matter_reference_taken_whatever_the_case)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char first[TEAMS_ID_MAX], second[TEAMS_ID_MAX];
    of_matter(&o, "ABC-1", NULL, NULL, first);
    struct reply *r = post_matter(&o, "abc-1", NULL);
    teams_assert_problem(r, 409, "matter_reference_taken");
    reply_free(r);
    of_matter(&o, "ABC-2", NULL, NULL, second);
    r = client_json(&o.admin.c, "PATCH", tpath("/api/v1/teams/%s/matters/%s", o.id, second),
                    "{s:s}", "reference", "Abc-1");
    teams_assert_problem(r, 409, "matter_reference_taken");
    reply_free(r);
    r = client_json(&o.admin.c, "PATCH", tpath("/api/v1/teams/%s/matters/%s", o.id, second),
                    "{s:s}", "reference", "AB C");
    teams_assert_field_problem(r, "reference", "invalid_format");
    reply_free(r);
    /* Another office may use the same reference. */
    struct of_office other;
    of_office(&other, "Cabinet Durand");
    char theirs[TEAMS_ID_MAX];
    of_matter(&other, "ABC-1", NULL, NULL, theirs);
}

Test(offices_client_users, matter_manager_and_group_must_be_the_offices)
{
    struct of_office o, other;
    of_office(&o, "Cabinet Lambert");
    of_office(&other, "Cabinet Durand");
    char foreign_group[TEAMS_ID_MAX];
    of_client_group(&other, "Groupe Nord", NULL, foreign_group);
    /* The other office's administrator is no member of this one. */
    struct reply *r = post_matter(&o, "M-1", json_pack("{s:s}", "manager_user_id", other.admin.id));
    teams_assert_field_problem(r, "manager_user_id", "unknown");
    reply_free(r);
    r = post_matter(&o, "M-1", json_pack("{s:s}", "client_group_id", foreign_group));
    teams_assert_field_problem(r, "client_group_id", "unknown");
    reply_free(r);
    r = post_matter(&o, "M-1",
                    json_pack("{s:s}", "manager_user_id", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"));
    teams_assert_field_problem(r, "manager_user_id", "invalid_format");
    reply_free(r);
    char mine[TEAMS_ID_MAX];
    of_matter(&o, "M-1", NULL, NULL, mine);
    r = client_json(&o.admin.c, "PATCH", tpath("/api/v1/teams/%s/matters/%s", o.id, mine), "{s:s}",
                    "client_group_id", foreign_group);
    teams_assert_field_problem(r, "client_group_id", "unknown");
    reply_free(r);
    r = client_json(&o.admin.c, "PATCH", tpath("/api/v1/teams/%s/matters/%s", o.id, mine), "{s:s}",
                    "manager_user_id", other.admin.id);
    teams_assert_field_problem(r, "manager_user_id", "unknown");
    reply_free(r);
    /* A member who left is no longer one. */
    struct teams_user gone;
    of_member(&o, "Paul", "Girard", NULL, &gone);
    of_leave(&o, &gone);
    r = post_matter(&o, "M-2", json_pack("{s:s}", "manager_user_id", gone.id));
    teams_assert_field_problem(r, "manager_user_id", "unknown");
    reply_free(r);
}

Test(offices_client_users, matter_patch_changes_what_it_names_and_null_clears)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    struct teams_user manager;
    of_member(&o, "Paul", "Girard", NULL, &manager);
    char group[TEAMS_ID_MAX], id[TEAMS_ID_MAX];
    of_client_group(&o, "Groupe Nord", NULL, group);
    of_matter(&o, "P-1", manager.id, group, id);
    const char *path = tpath("/api/v1/teams/%s/matters/%s", o.id, id);
    struct reply *r = client_json(&o.admin.c, "PATCH", path, "{s:s}", "name", "Nouveau nom");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "name"), "Nouveau nom", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "reference"), "P-1", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "manager_user_id"), manager.id, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "client_group_id"), group, "%s", r->body);
    reply_free(r);
    r = client_json(&o.admin.c, "PATCH", path, "{s:n}", "manager_user_id");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "manager_user_id")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "client_group_id"), group, "%s", r->body);
    reply_free(r);
    r = client_json(&o.admin.c, "PATCH", path, "{s:n}", "client_group_id");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "client_group_id")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "name"), "Nouveau nom", "%s", r->body);
    reply_free(r);
    r = client_json(&o.admin.c, "PATCH", path, "{s:s, s:s}", "manager_user_id", manager.id,
                    "reference", "P-2");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "manager_user_id"), manager.id, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "reference"), "P-2", "%s", r->body);
    reply_free(r);
    const char *params[] = {o.id, id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND action = 'matter.updated' AND target = $2",
                             2, params),
                 4);
    r = client_json(&o.admin.c, "PATCH",
                    tpath("/api/v1/teams/%s/matters/00000000-0000-4000-8000-000000000000", o.id),
                    "{s:s}", "name", "X");
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

Test(offices_client_users, matter_list_pages_by_reference)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char id[TEAMS_ID_MAX];
    of_matter(&o, "c-3", NULL, NULL, id);
    of_matter(&o, "A-1", NULL, NULL, id);
    of_matter(&o, "b-2", NULL, NULL, id);
    struct reply *r = get(&o.admin.c, tpath("/api/v1/teams/%s/matters?limit=2", o.id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 2, "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "reference"), "A-1", "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(items, 1), "reference"), "b-2", "%s", r->body);
    char cursor[TEAMS_ID_MAX];
    snprintf(cursor, sizeof(cursor), "%s", teams_str(r->json, "next_cursor"));
    cr_assert(cursor[0], "no next_cursor: %s", r->body);
    reply_free(r);
    r = get(&o.admin.c, tpath("/api/v1/teams/%s/matters?limit=2&cursor=%s", o.id, cursor));
    cr_assert_eq(r->status, 200, "%s", r->body);
    items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "reference"), "c-3", "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "next_cursor")), "%s", r->body);
    reply_free(r);
    r = get(&o.admin.c, tpath("/api/v1/teams/%s/matters?limit=0", o.id));
    teams_assert_field_problem(r, "limit", "out_of_range");
    reply_free(r);
    r = get(&o.admin.c, tpath("/api/v1/teams/%s/matters?cursor=nope", o.id));
    teams_assert_field_problem(r, "cursor", "invalid_format");
    reply_free(r);
}

/* ---- client groups ---- */

Test(offices_client_users, client_groups_listed_by_name_and_unique)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char zeta[TEAMS_ID_MAX], alpha[TEAMS_ID_MAX];
    of_client_group(&o, "Zeta", NULL, zeta);
    of_client_group(&o, "alpha", "Alpha.Groupe@Example.TEST", alpha);
    const char *path = tpath("/api/v1/teams/%s/client-groups", o.id);
    struct reply *r = client_json(&o.admin.c, "POST", path, "{s:s}", "name", "ZETA");
    teams_assert_problem(r, 409, "client_group_name_taken");
    reply_free(r);
    r = client_json(&o.admin.c, "POST", path, "{s:s, s:s}", "name", "Beta", "email", "nope");
    teams_assert_field_problem(r, "email", "invalid_format");
    reply_free(r);
    r = client_json(&o.admin.c, "POST", path, "{s:s}", "name", "");
    teams_assert_field_problem(r, "name", "required");
    reply_free(r);
    r = get(&o.admin.c, path);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 2, "%s", r->body);
    json_t *first = json_array_get(items, 0), *second = json_array_get(items, 1);
    cr_assert_str_eq(teams_str(first, "id"), alpha, "%s", r->body);
    cr_assert_str_eq(teams_str(first, "email"), "alpha.groupe@example.test", "%s", r->body);
    cr_assert_str_eq(teams_str(second, "name"), "Zeta", "%s", r->body);
    cr_assert(json_is_null(json_object_get(second, "email")), "%s", r->body);
    reply_free(r);
    const char *params[] = {o.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND action = 'client_group.created'",
                             1, params),
                 2);
}

/* ---- e-mail settings ---- */

/* The routing of one type in a settings body. */
static json_t *routing(const json_t *settings, const char *type)
{
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(settings, "notifications"), i,
                       entry) if (strcmp(teams_str(entry, "type"), type) == 0) return entry;
    cr_assert_fail("no routing for %s", type);
    return NULL;
}

Test(offices_client_users, email_settings_default_then_replaced)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    const char *path = tpath("/api/v1/teams/%s/email-settings", o.id);
    struct reply *r = get(&o.admin.c, path);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "functional_email")), "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "communication_email")), "%s", r->body);
    const char *order[] = {"failed_tasks", "messages", "vat_documents_ok", "user_requests"};
    json_t *list = json_object_get(r->json, "notifications");
    cr_assert_eq(json_array_size(list), 4, "%s", r->body);
    for (size_t i = 0; i < 4; i++) {
        json_t *entry = json_array_get(list, i);
        cr_assert_str_eq(teams_str(entry, "type"), order[i], "%s", r->body);
        cr_assert_str_eq(teams_str(entry, "configuration"), "standard", "%s", r->body);
        cr_assert_eq(json_array_size(json_object_get(entry, "recipients")), 0, "%s", r->body);
    }
    reply_free(r);

    struct teams_user m;
    of_member(&o, "Paul", "Girard", NULL, &m);
    r = of_put_settings(&o, json_pack("{s:s, s:s, s:[{s:s, s:s, s:[s, s]}]}", "functional_email",
                                      "NoReply@Lambert.TEST", "communication_email",
                                      "contact@lambert.test", "notifications", "type", "messages",
                                      "configuration", "custom", "recipients", m.id, o.admin.id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "functional_email"), "noreply@lambert.test", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "communication_email"), "contact@lambert.test");
    json_t *messages = routing(r->json, "messages");
    cr_assert_str_eq(teams_str(messages, "configuration"), "custom", "%s", r->body);
    cr_assert(teams_array_has(json_object_get(messages, "recipients"), m.id), "%s", r->body);
    cr_assert(teams_array_has(json_object_get(messages, "recipients"), o.admin.id), "%s", r->body);
    cr_assert_str_eq(teams_str(routing(r->json, "failed_tasks"), "configuration"), "standard");
    reply_free(r);
    /* What GET reads back, for any member. */
    r = get(&m.c, path);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(routing(r->json, "messages"), "configuration"), "custom");
    reply_free(r);

    /* A PUT replaces everything: what it leaves out goes back to none / standard. */
    r = of_put_settings(&o, json_pack("{s:s}", "communication_email", "accueil@lambert.test"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "functional_email")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "communication_email"), "accueil@lambert.test");
    messages = routing(r->json, "messages");
    cr_assert_str_eq(teams_str(messages, "configuration"), "standard", "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(messages, "recipients")), 0, "%s", r->body);
    reply_free(r);
    const char *params[] = {o.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND action = 'email_settings.updated'",
                             1, params),
                 2);
}

/* PUTs one notifications entry (a json_pack format for the array) and expects a field error. */
static void expect_bad_routing(struct of_office *o, json_t *notifications, const char *field,
                               const char *code)
{
    struct reply *r =
        of_put_settings(o, json_pack("{s:s, s:o}", "functional_email", "changed@lambert.test",
                                     "notifications", notifications));
    teams_assert_field_problem(r, field, code);
    reply_free(r);
}

Test(offices_client_users, email_settings_validation)
{
    struct of_office o, other;
    of_office(&o, "Cabinet Lambert");
    of_office(&other, "Cabinet Durand");
    of_addresses(&o, "before@lambert.test", NULL);
    json_t *twenty_one = json_array();
    for (int i = 0; i < 21; i++)
        json_array_append_new(twenty_one, json_string(o.admin.id));
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s, s:[]}]", "type", "messages", "configuration",
                                 "custom", "recipients"),
                       "notifications[0].recipients", "out_of_range");
    expect_bad_routing(&o, json_pack("[{s:s, s:s}]", "type", "messages", "configuration", "custom"),
                       "notifications[0].recipients", "out_of_range");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s, s:o}]", "type", "messages", "configuration", "custom",
                                 "recipients", twenty_one),
                       "notifications[0].recipients", "out_of_range");
    /* Twenty is the limit: twenty ids pass the count and are then checked one by one. */
    json_t *twenty = json_array();
    for (int i = 0; i < 20; i++)
        json_array_append_new(twenty,
                              json_string(tpath("00000000-0000-4000-8000-0000000000%02d", i)));
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s, s:o}]", "type", "messages", "configuration", "custom",
                                 "recipients", twenty),
                       "notifications", "not_a_member");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s, s:[s]}]", "type", "messages", "configuration",
                                 "standard", "recipients", o.admin.id),
                       "notifications[0].recipients", "not_allowed");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s}, {s:s, s:s}]", "type", "messages", "configuration",
                                 "standard", "type", "messages", "configuration", "standard"),
                       "notifications[1]", "duplicate");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s, s:[s]}]", "type", "user_requests", "configuration",
                                 "custom", "recipients", other.admin.id),
                       "notifications", "not_a_member");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s}]", "type", "letters", "configuration", "standard"),
                       "notifications[0]", "invalid_format");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s}]", "type", "messages", "configuration", "sometimes"),
                       "notifications[0]", "invalid_format");
    expect_bad_routing(&o, json_pack("[s]", "messages"), "notifications[0]", "invalid_format");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s, s:s}]", "type", "messages", "configuration", "custom",
                                 "recipients", o.admin.id),
                       "notifications[0]", "invalid_format");
    expect_bad_routing(&o,
                       json_pack("[{s:s, s:s, s:[s]}]", "type", "messages", "configuration",
                                 "custom", "recipients", "not-a-uuid"),
                       "notifications[0].recipients", "invalid_format");
    expect_bad_routing(&o, json_pack("[{}, {}, {}, {}, {}]"), "notifications", "wrong_count");
    struct reply *r = of_put_settings(&o, json_pack("{s:s}", "functional_email", "nope"));
    teams_assert_field_problem(r, "functional_email", "invalid_format");
    reply_free(r);
    /* Nothing changed. */
    r = get(&o.admin.c, tpath("/api/v1/teams/%s/email-settings", o.id));
    cr_assert_str_eq(teams_str(r->json, "functional_email"), "before@lambert.test", "%s", r->body);
    cr_assert_str_eq(teams_str(routing(r->json, "user_requests"), "configuration"), "standard");
    reply_free(r);
}

Test(offices_client_users, email_settings_need_settings_manage)
{
    struct of_office o;
    of_office(&o, "Cabinet Lambert");
    char role[TEAMS_ID_MAX];
    const char *const clients_only[] = {"clients.manage", NULL};
    teams_role(&o.admin.c, o.id, "Dossiers", clients_only, role);
    struct teams_user m;
    of_member(&o, "Paul", "Girard", role, &m);
    struct reply *r = client_json(&m.c, "PUT", tpath("/api/v1/teams/%s/email-settings", o.id),
                                  "{s:s}", "functional_email", "x@lambert.test");
    teams_assert_forbidden(r, "settings.manage");
    reply_free(r);
    r = get(&m.c, tpath("/api/v1/teams/%s/email-settings", o.id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "functional_email")), "%s", r->body);
    reply_free(r);
}

Test(offices_client_users, a_firm_is_not_an_office)
{
    struct teams_user admin;
    char firm[TEAMS_ID_MAX];
    teams_admin(&admin, firm);
    struct client *c = &admin.c;
    const char *settings = tpath("/api/v1/teams/%s/email-settings", firm);
    const char *groups = tpath("/api/v1/teams/%s/client-groups", firm);
    const char *matters = tpath("/api/v1/teams/%s/matters", firm);
    struct reply *replies[] = {
        get(c, settings),
        client_json(c, "PUT", settings, "{s:s}", "functional_email", "x@firm.test"),
        get(c, groups),
        client_json(c, "POST", groups, "{s:s}", "name", "Groupe"),
        get(c, matters),
        client_json(c, "POST", matters, "{s:s, s:s}", "reference", "F-1", "name", "F"),
    };
    for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
        teams_assert_problem(replies[i], 409, "not_an_office");
        reply_free(replies[i]);
    }
    const char *params[] = {firm};
    cr_assert_eq(testdb_long("SELECT count(*) FROM matters WHERE team_id = $1", 1, params), 0);
}

/* "Office-only routes on another kind: 409 not_an_office": the routes of one matter too. */
Test(offices_client_users, a_firms_matter_routes_are_not_an_office)
{
    struct teams_user admin;
    char firm[TEAMS_ID_MAX];
    teams_admin(&admin, firm);
    struct client *c = &admin.c;
    char matter[128];
    snprintf(matter, sizeof(matter), "/api/v1/teams/%s/matters/%s", firm,
             "00000000-0000-4000-8000-000000000000");
    const char *suffixes[] = {
        "", "/sender", "/client-users", "/vat-periods", "/user-requests", "/messages"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        struct reply *r = get(c, tpath("%s%s", matter, suffixes[i]));
        teams_assert_problem(r, 409, "not_an_office");
        reply_free(r);
    }
    struct reply *r = client_json(c, "PATCH", matter, "{s:s}", "name", "F");
    teams_assert_problem(r, 409, "not_an_office");
    reply_free(r);
    r = of_create_client_user(c, firm, "00000000-0000-4000-8000-000000000000",
                              "jeanne@example.test", "Jeanne", "Petit");
    teams_assert_problem(r, 409, "not_an_office");
    reply_free(r);
}

/* ---- who sees what ---- */

/* Every route of one matter, for an office member or a client user; expects 404 on each. */
static void expect_nothing_on_matter(struct client *c, const char *office, const char *matter)
{
    char b[256];
    snprintf(b, sizeof(b), "/api/v1/teams/%s/matters/%s", office, matter);
    struct reply *replies[] = {
        get(c, b),
        client_json(c, "PATCH", b, "{s:s}", "name", "Volé"),
        get(c, tpath("%s/sender", b)),
        get(c, tpath("%s/client-users", b)),
        of_create_client_user(c, office, matter, "intrus@example.test", "In", "Trus"),
        get(c, tpath("%s/vat-periods", b)),
        get(c, tpath("%s/user-requests", b)),
        get(c, tpath("%s/messages", b)),
        client_send(c, "POST", tpath("%s/vat-periods/2024-Q1/complete", b), NULL, NULL),
        client_json(c, "POST", tpath("%s/user-requests", b), "{s:s, s:s, s:s}", "email",
                    "autre@example.test", "first_name", "Luc", "last_name", "Roux"),
        client_json(c, "POST", tpath("%s/messages", b), "{s:s, s:s}", "subject", "Bonjour", "body",
                    "Un message"),
    };
    for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
        teams_assert_problem(replies[i], 404, "not_found");
        reply_free(replies[i]);
    }
}

/* Counts what client users sent about a matter, from the database. */
static long sent_about(const char *matter)
{
    const char *params[] = {matter};
    return testdb_long("SELECT (SELECT count(*) FROM vat_periods WHERE matter_id = $1) "
                       "+ (SELECT count(*) FROM user_requests WHERE matter_id = $1) "
                       "+ (SELECT count(*) FROM matter_messages WHERE matter_id = $1)",
                       1, params);
}

Test(offices_client_users, member_of_another_office_sees_nothing)
{
    struct setup a, b;
    office_with_matter(&a, "Cabinet Lambert", "LAM-120");
    office_with_matter(&b, "Cabinet Durand", "DUR-120");
    struct of_client cu = {0};
    of_add_client_user(&a.o, a.matter, "invited", &cu);
    struct teams_user intruder;
    of_member(&b.o, "Paul", "Girard", NULL, &intruder);
    /* Through the other office's path, and through their own office's. */
    expect_nothing_on_matter(&intruder.c, a.o.id, a.matter);
    expect_nothing_on_matter(&b.o.admin.c, a.o.id, a.matter);
    expect_nothing_on_matter(&b.o.admin.c, b.o.id, a.matter);
    const char *lists[] = {tpath("/api/v1/teams/%s/matters", a.o.id),
                           tpath("/api/v1/teams/%s/client-groups", a.o.id),
                           tpath("/api/v1/teams/%s/email-settings", a.o.id)};
    for (size_t i = 0; i < 3; i++) {
        struct reply *r = get(&intruder.c, lists[i]);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
    }
    json_t *items = client_users(&a);
    cr_assert_eq(json_array_size(items), 1, "nothing added");
    json_decref(items);
    cr_assert_eq(sent_about(a.matter), 0);
}

Test(offices_client_users, office_member_is_not_a_client_user)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-121");
    const char *b = matter_path(&s, "");
    struct client *c = &s.o.admin.c;
    struct reply *replies[] = {
        client_send(c, "POST", tpath("%s/vat-periods/2024-Q1/complete", b), NULL, NULL),
        client_json(c, "POST", tpath("%s/user-requests", b), "{s:s, s:s, s:s}", "email",
                    "autre@example.test", "first_name", "Luc", "last_name", "Roux"),
        client_json(c, "POST", tpath("%s/messages", b), "{s:s, s:s}", "subject", "Bonjour", "body",
                    "Un message"),
    };
    for (size_t i = 0; i < 3; i++) {
        teams_assert_problem(replies[i], 404, "not_found");
        reply_free(replies[i]);
    }
    cr_assert_eq(sent_about(s.matter), 0);
}

Test(offices_client_users, client_user_completes_a_vat_period_of_their_matter_only)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-122");
    char other[TEAMS_ID_MAX];
    of_matter(&s.o, "LAM-123", NULL, NULL, other);
    struct of_client cu = {0};
    of_signed_in_client(&s.o, s.matter, &cu);

    struct reply *r =
        client_send(&cu.c, "POST", matter_path(&s, "/vat-periods/2024-Q1/complete"), NULL, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "period"), "2024-Q1", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "matter_id"), s.matter, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "completed_by"), cu.user_id, "%s", r->body);
    cr_assert(teams_str(r->json, "completed_at")[0], "%s", r->body);
    cr_assert(teams_str(r->json, "notification_id")[0], "%s", r->body);
    reply_free(r);
    r = client_send(&cu.c, "POST", matter_path(&s, "/vat-periods/2024-Q1/complete"), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "notification_id")), "%s", r->body);
    reply_free(r);
    /* Periods of other shapes are no route at all. */
    const char *shapes[] = {"2024-13", "2024-Q5", "24-Q1", "2024-00", "2024Q1"};
    for (size_t i = 0; i < 5; i++) {
        r = client_send(&cu.c, "POST",
                        matter_path(&s, tpath("/vat-periods/%s/complete", shapes[i])), NULL, NULL);
        cr_assert_eq(r->status, 404, "%s: %ld %s", shapes[i], r->status, r->body);
        reply_free(r);
    }
    r = get(&s.o.admin.c, matter_path(&s, "/vat-periods"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "period"), "2024-Q1", "%s", r->body);
    reply_free(r);

    /* The other matter of the same office, and the office's own routes, are not theirs. */
    expect_nothing_on_matter(&cu.c, s.o.id, other);
    const char *office_routes[] = {tpath("/api/v1/teams/%s/matters", s.o.id), matter_path(&s, ""),
                                   matter_path(&s, "/client-users"),
                                   matter_path(&s, "/vat-periods")};
    for (size_t i = 0; i < 4; i++) {
        r = get(&cu.c, office_routes[i]);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
    }
    cr_assert_eq(sent_about(other), 0);
}

Test(offices_client_users, what_client_users_send_is_checked_and_paged)
{
    struct setup s;
    office_with_matter(&s, "Cabinet Lambert", "LAM-124");
    struct of_client cu = {0};
    of_signed_in_client(&s.o, s.matter, &cu);
    char subject[16];
    for (int i = 1; i <= 3; i++) {
        snprintf(subject, sizeof(subject), "Question %d", i);
        struct reply *r = client_json(&cu.c, "POST", matter_path(&s, "/messages"), "{s:s, s:s}",
                                      "subject", subject, "body", "Bonjour,\nUne question.");
        cr_assert_eq(r->status, 201, "%s", r->body);
        reply_free(r);
    }
    char long_note[2002];
    memset(long_note, 'n', 2001);
    long_note[2001] = '\0';
    struct reply *bad[] = {
        client_json(&cu.c, "POST", matter_path(&s, "/messages"), "{s:s, s:s}", "subject", "",
                    "body", "x"),
        client_json(&cu.c, "POST", matter_path(&s, "/messages"), "{s:s}", "subject", "Sujet"),
        client_json(&cu.c, "POST", matter_path(&s, "/user-requests"), "{s:s, s:s, s:s}", "email",
                    "nope", "first_name", "Luc", "last_name", "Roux"),
        client_json(&cu.c, "POST", matter_path(&s, "/user-requests"), "{s:s, s:s, s:s, s:s}",
                    "email", "luc@example.test", "first_name", "Luc", "last_name", "Roux", "note",
                    long_note),
    };
    const char *fields[] = {"subject", "body", "email", "note"};
    const char *codes[] = {"required", "required", "invalid_format", "too_long"};
    for (size_t i = 0; i < 4; i++) {
        teams_assert_field_problem(bad[i], fields[i], codes[i]);
        reply_free(bad[i]);
    }
    struct reply *r = get(&s.o.admin.c, matter_path(&s, "/messages?limit=2"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2, "%s", r->body);
    char cursor[TEAMS_ID_MAX];
    snprintf(cursor, sizeof(cursor), "%s", teams_str(r->json, "next_cursor"));
    cr_assert(cursor[0], "no next_cursor: %s", r->body);
    reply_free(r);
    r = get(&s.o.admin.c, matter_path(&s, tpath("/messages?limit=2&cursor=%s", cursor)));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "next_cursor")), "%s", r->body);
    reply_free(r);
    r = get(&s.o.admin.c, matter_path(&s, "/user-requests?limit=0"));
    teams_assert_field_problem(r, "limit", "out_of_range");
    reply_free(r);
    cr_assert_eq(sent_about(s.matter), 3);
}

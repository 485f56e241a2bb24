/* Teams: creation, the immutable administrator, settings, and GET /me. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/teams.h"

Test(teams, creator_becomes_the_administrator_with_every_permission)
{
    struct teams_user a;
    teams_user(&a);
    struct reply *r = client_json(&a.c, "POST", "/api/v1/teams", "{s:s, s:s, s:s}", "name",
                                  "Étude Lefèvre", "kind", "office", "billing_email",
                                  "compta@example.test");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "name"), "Étude Lefèvre");
    cr_assert_str_eq(teams_str(r->json, "kind"), "office");
    cr_assert_str_eq(teams_str(r->json, "administrator_id"), a.id);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "role"), "name"), "administrator");
    json_t *perms = json_object_get(r->json, "permissions");
    for (const char *const *p = teams_all_permissions; *p; p++)
        cr_assert(teams_array_has(perms, *p), "missing %s: %s", *p, r->body);
    char team[TEAMS_ID_MAX];
    snprintf(team, sizeof(team), "%s", teams_str(r->json, "id"));
    reply_free(r);

    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/members", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    json_t *only = json_array_get(items, 0);
    cr_assert_str_eq(teams_str(json_object_get(only, "user"), "id"), a.id);
    cr_assert(json_is_true(json_object_get(only, "is_administrator")), "%s", r->body);
    reply_free(r);
}

Test(teams, unknown_kind_is_refused)
{
    struct teams_user a;
    teams_user(&a);
    struct reply *r = client_json(&a.c, "POST", "/api/v1/teams", "{s:s, s:s}", "name", "X",
                                  "kind", "family");
    teams_assert_field_problem(r, "kind", "not_allowed");
    reply_free(r);
    r = client_send(&a.c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(json_array_size(json_object_get(r->json, "teams")), 0, "%s", r->body);
    reply_free(r);
}

Test(teams, administrator_cannot_remove_itself)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/members/%s", team, a.id),
                                  NULL, NULL);
    teams_assert_problem(r, 409, "administrator_immutable");
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "the administrator must still be in the team: %s", r->body);
    reply_free(r);
}

Test(teams, administrator_cannot_be_removed_by_a_members_manager)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    const char *const perms[] = {"members.manage", "letters.send", NULL};
    teams_role(&a.c, team, "Gestion", perms, role);
    teams_join(&a.c, team, role, &m);
    struct reply *r = client_send(&m.c, "DELETE", tpath("/api/v1/teams/%s/members/%s", team, a.id),
                                  NULL, NULL);
    teams_assert_problem(r, 409, "administrator_immutable");
    reply_free(r);
}

Test(teams, administrator_role_cannot_be_changed)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], member_role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_builtin_role(&a.c, team, "member", member_role);
    struct reply *r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s/members/%s", team, a.id),
                                  "{s:s}", "role_id", member_role);
    teams_assert_problem(r, 409, "administrator_immutable");
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s", team), NULL, NULL);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "role"), "name"), "administrator");
    reply_free(r);
}

Test(teams, administrator_updates_settings)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s", team), "{s:s, s:s}",
                                  "name", "Cabinet Durand & Associés", "invoice_copy_email",
                                  "copie@example.test");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "name"), "Cabinet Durand & Associés");
    cr_assert_str_eq(teams_str(r->json, "invoice_copy_email"), "copie@example.test");
    reply_free(r);
}

Test(teams, member_with_every_permission_still_cannot_update_settings)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Tout", teams_all_permissions, role);
    teams_join(&a.c, team, role, &m);
    struct reply *r = client_json(&m.c, "PATCH", tpath("/api/v1/teams/%s", team), "{s:s}", "name",
                                  "Pris");
    teams_assert_forbidden(r, "administrator");
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s", team), NULL, NULL);
    cr_assert_str_eq(teams_str(r->json, "name"), "Cabinet Durand");
    reply_free(r);
}

/* The team of a user as GET /me lists it, or NULL. */
static json_t *me_team(struct client *c, const char *team, struct reply **out)
{
    struct reply *r = client_send(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    *out = r;
    size_t i;
    json_t *t;
    json_array_foreach (json_object_get(r->json, "teams"), i, t)
        if (strcmp(teams_str(t, "id"), team) == 0)
            return t;
    return NULL;
}

Test(teams, me_lists_the_administrator_team)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r;
    json_t *t = me_team(&a.c, team, &r);
    cr_assert_not_null(t, "team missing from /me: %s", r->body);
    cr_assert_str_eq(teams_str(t, "name"), "Cabinet Durand");
    cr_assert_str_eq(teams_str(t, "kind"), "firm");
    cr_assert_str_eq(teams_str(json_object_get(t, "role"), "name"), "administrator");
    cr_assert_eq(json_array_size(json_object_get(t, "permissions")), teams_permission_count(),
                 "%s", r->body);
    reply_free(r);
}

Test(teams, me_lists_a_member_team_with_its_role_and_permissions)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    const char *const perms[] = {"letters.send", "billing.view", NULL};
    teams_role(&a.c, team, "Comptable", perms, role);
    teams_join(&a.c, team, role, &m);
    struct reply *r;
    json_t *t = me_team(&m.c, team, &r);
    cr_assert_not_null(t, "team missing from /me: %s", r->body);
    json_t *got_role = json_object_get(t, "role");
    cr_assert_str_eq(teams_str(got_role, "id"), role);
    cr_assert_str_eq(teams_str(got_role, "name"), "Comptable");
    json_t *got = json_object_get(t, "permissions");
    cr_assert_eq(json_array_size(got), 2, "%s", r->body);
    cr_assert(teams_array_has(got, "letters.send") && teams_array_has(got, "billing.view"));
    reply_free(r);
}

Test(teams, update_clears_a_null_email_and_keeps_what_is_left_out)
{
    struct teams_user a;
    teams_user(&a);
    struct reply *r = client_json(&a.c, "POST", "/api/v1/teams", "{s:s, s:s, s:s}", "name",
                                  "Société Petit", "kind", "company", "billing_email",
                                  "factures@example.test");
    cr_assert_eq(r->status, 201, "%s", r->body);
    char team[TEAMS_ID_MAX];
    snprintf(team, sizeof(team), "%s", teams_str(r->json, "id"));
    reply_free(r);
    r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s", team), "{s:n}", "billing_email");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "billing_email")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "name"), "Société Petit");
    cr_assert_str_eq(teams_str(r->json, "kind"), "company");
    reply_free(r);
}

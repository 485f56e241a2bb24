/* Roles: custom sets of permissions granted and withheld, and the rules of role changes. */
#include <criterion/criterion.h>
#include <string.h>

#include "support/client.h"
#include "support/teams.h"

/* The permissions the member currently holds in the team, as GET /teams/{team} tells it. */
static struct reply *own_team(struct teams_user *m, const char *team)
{
    struct reply *r = client_send(&m->c, "GET", tpath("/api/v1/teams/%s", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    return r;
}

static void set_permissions(struct client *admin, const char *team, const char *role,
                            json_t *permissions)
{
    struct reply *r = client_json(admin, "PATCH", tpath("/api/v1/teams/%s/roles/%s", team, role),
                                  "{s:o}", "permissions", permissions);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(roles, each_permission_granted_alone_is_held_alone)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Essai", NULL, role);
    teams_join(&a.c, team, role, &m);
    for (const char *const *p = teams_all_permissions; *p; p++) {
        set_permissions(&a.c, team, role, json_pack("[s]", *p));
        struct reply *r = own_team(&m, team);
        json_t *got = json_object_get(r->json, "permissions");
        cr_assert(json_array_size(got) == 1 && teams_array_has(got, *p), "granted %s: %s", *p,
                  r->body);
        reply_free(r);
    }
}

Test(roles, each_permission_withheld_is_missing)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Essai", NULL, role);
    teams_join(&a.c, team, role, &m);
    for (const char *const *p = teams_all_permissions; *p; p++) {
        json_t *others = json_array();
        for (const char *const *q = teams_all_permissions; *q; q++)
            if (q != p)
                json_array_append_new(others, json_string(*q));
        set_permissions(&a.c, team, role, others);
        struct reply *r = own_team(&m, team);
        json_t *got = json_object_get(r->json, "permissions");
        cr_assert(json_array_size(got) == teams_permission_count() - 1 &&
                      !teams_array_has(got, *p),
                  "withheld %s: %s", *p, r->body);
        reply_free(r);
    }
}

Test(roles, members_manage_opens_the_invitations_and_its_removal_closes_them)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    const char *const perms[] = {"members.manage", NULL};
    teams_role(&a.c, team, "Gestion", perms, role);
    teams_join(&a.c, team, role, &m);
    const char *path = tpath("/api/v1/teams/%s/invitations", team);
    struct reply *r = client_send(&m.c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);

    set_permissions(&a.c, team, role, json_pack("[s, s]", "letters.send", "billing.view"));
    r = client_send(&m.c, "GET", path, NULL, NULL);
    teams_assert_forbidden(r, "members.manage");
    reply_free(r);
}

Test(roles, list_shows_the_builtin_and_custom_roles_to_members)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    const char *const perms[] = {"documents.view", NULL};
    teams_role(&a.c, team, "Lecture", perms, role);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/roles", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 3, "%s", r->body);
    int seen = 0;
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it) {
        const char *name = teams_str(it, "name");
        if (strcmp(name, "administrator") == 0 || strcmp(name, "member") == 0)
            seen += strcmp(teams_str(it, "builtin"), name) == 0;
        else if (strcmp(teams_str(it, "id"), role) == 0 && json_is_null(json_object_get(it, "builtin")))
            seen += teams_array_has(json_object_get(it, "permissions"), "documents.view");
    }
    cr_assert_eq(seen, 3, "%s", r->body);
    reply_free(r);
}

Test(roles, builtin_role_cannot_be_changed)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], member[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_builtin_role(&a.c, team, "member", member);
    struct reply *r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s/roles/%s", team, member),
                                  "{s:[s]}", "permissions", "members.manage");
    teams_assert_problem(r, 409, "builtin_role");
    reply_free(r);
}

Test(roles, builtin_role_cannot_be_deleted)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], admin[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_builtin_role(&a.c, team, "administrator", admin);
    struct reply *r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/roles/%s", team, admin),
                                  NULL, NULL);
    teams_assert_problem(r, 409, "builtin_role");
    reply_free(r);
}

Test(roles, duplicate_name_is_refused)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Comptable", NULL, role);
    struct reply *r = client_json(&a.c, "POST", tpath("/api/v1/teams/%s/roles", team),
                                  "{s:s, s:[]}", "name", "comptable", "permissions");
    teams_assert_problem(r, 409, "role_name_taken");
    reply_free(r);
}

Test(roles, renaming_to_a_taken_name_is_refused)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], one[TEAMS_ID_MAX], two[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Comptable", NULL, one);
    teams_role(&a.c, team, "Secrétariat", NULL, two);
    struct reply *r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s/roles/%s", team, two),
                                  "{s:s}", "name", "Comptable");
    teams_assert_problem(r, 409, "role_name_taken");
    reply_free(r);
}

Test(roles, unknown_permission_is_refused)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = client_json(&a.c, "POST", tpath("/api/v1/teams/%s/roles", team),
                                  "{s:s, s:[s, s]}", "name", "Pirate", "permissions",
                                  "letters.send", "teams.delete");
    teams_assert_field_problem(r, "permissions", "unknown_permission");
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/roles", team), NULL, NULL);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2, "%s", r->body);
    reply_free(r);
}

Test(roles, role_held_by_a_member_cannot_be_deleted)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Assistant", NULL, role);
    teams_join(&a.c, team, role, &m);
    struct reply *r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/roles/%s", team, role),
                                  NULL, NULL);
    teams_assert_problem(r, 409, "role_in_use");
    reply_free(r);
}

Test(roles, role_of_a_pending_invitation_cannot_be_deleted)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX], inv[TEAMS_ID_MAX], email[128];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Assistant", NULL, role);
    client_unique_email(email, sizeof(email), "pending");
    teams_invite(&a.c, team, email, role, inv);
    struct reply *r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/roles/%s", team, role),
                                  NULL, NULL);
    teams_assert_problem(r, 409, "role_in_use");
    reply_free(r);
}

Test(roles, unused_role_is_deleted)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Temporaire", NULL, role);
    struct reply *r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/roles/%s", team, role),
                                  NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/roles", team), NULL, NULL);
    cr_assert(!strstr(r->body, role), "deleted role still listed: %s", r->body);
    reply_free(r);
}

Test(roles, only_the_administrator_creates_roles)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Tout", teams_all_permissions, role);
    teams_join(&a.c, team, role, &m);
    struct reply *r = client_json(&m.c, "POST", tpath("/api/v1/teams/%s/roles", team),
                                  "{s:s, s:[]}", "name", "Mien", "permissions");
    teams_assert_forbidden(r, "administrator");
    reply_free(r);
}

Test(roles, builtin_names_are_taken)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = client_json(&a.c, "POST", tpath("/api/v1/teams/%s/roles", team),
                                  "{s:s, s:[]}", "name", "Member", "permissions");
    teams_assert_problem(r, 409, "role_name_taken");
    reply_free(r);
}

Test(roles, list_puts_builtins_first_then_custom_roles_by_name)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], z[TEAMS_ID_MAX], b[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "zèbre", NULL, z);
    teams_role(&a.c, team, "Archives", NULL, b);
    struct reply *r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/roles", team), NULL, NULL);
    json_t *items = json_object_get(r->json, "items");
    const char *expected[] = {"administrator", "member", "Archives", "zèbre"};
    cr_assert_eq(json_array_size(items), 4, "%s", r->body);
    for (size_t i = 0; i < 4; i++)
        cr_assert_str_eq(teams_str(json_array_get(items, i), "name"), expected[i], "%s", r->body);
    reply_free(r);
}

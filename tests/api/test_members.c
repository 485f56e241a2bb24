/* Members: changes of role and their rules, removal, leaving. */
#include <criterion/criterion.h>
#include <string.h>

#include "support/client.h"
#include "support/teams.h"

static struct reply *set_role(struct client *c, const char *team, const char *user,
                              const char *role)
{
    return client_json(c, "PATCH", tpath("/api/v1/teams/%s/members/%s", team, user), "{s:s}",
                       "role_id", role);
}

/* The name of the member's role as the member sees it. */
static void assert_role(struct teams_user *m, const char *team, const char *name)
{
    struct reply *r = client_send(&m->c, "GET", tpath("/api/v1/teams/%s", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "role"), "name"), name, "%s", r->body);
    reply_free(r);
}

Test(members, administrator_changes_a_member_role)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    const char *const perms[] = {"letters.validate", NULL};
    teams_role(&a.c, team, "Validation", perms, role);
    teams_join(&a.c, team, NULL, &m);
    assert_role(&m, team, "member");
    struct reply *r = set_role(&a.c, team, m.id, role);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "role"), "id"), role, "%s", r->body);
    reply_free(r);
    assert_role(&m, team, "Validation");
}

Test(members, administrator_role_is_not_assignable)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], admin_role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_builtin_role(&a.c, team, "administrator", admin_role);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = set_role(&a.c, team, m.id, admin_role);
    teams_assert_field_problem(r, "role_id", "role_not_assignable");
    reply_free(r);
    assert_role(&m, team, "member");
}

Test(members, unknown_role_is_refused)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = set_role(&a.c, team, m.id, "00000000-0000-4000-8000-000000000000");
    teams_assert_field_problem(r, "role_id", "unknown_role");
    reply_free(r);
}

/* A team with a manager (members.manage + letters.send) and a plain member. */
struct staffed {
    struct teams_user admin, manager, member;
    char team[TEAMS_ID_MAX];
    char manager_role[TEAMS_ID_MAX];
};

static void staff(struct staffed *s)
{
    teams_admin(&s->admin, s->team);
    const char *const perms[] = {"members.manage", "letters.send", NULL};
    teams_role(&s->admin.c, s->team, "Gestion", perms, s->manager_role);
    teams_join(&s->admin.c, s->team, s->manager_role, &s->manager);
    teams_join(&s->admin.c, s->team, NULL, &s->member);
}

Test(members, manager_cannot_hand_out_a_permission_it_lacks)
{
    struct staffed s;
    staff(&s);
    char role[TEAMS_ID_MAX];
    const char *const perms[] = {"letters.send", "billing.view", NULL};
    teams_role(&s.admin.c, s.team, "Comptable", perms, role);
    struct reply *r = set_role(&s.manager.c, s.team, s.member.id, role);
    teams_assert_forbidden(r, "billing.view");
    reply_free(r);
    assert_role(&s.member, s.team, "member");
}

Test(members, manager_hands_out_a_role_within_its_permissions)
{
    struct staffed s;
    staff(&s);
    struct reply *r = set_role(&s.manager.c, s.team, s.member.id, s.manager_role);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    assert_role(&s.member, s.team, "Gestion");
}

Test(members, manager_cannot_change_its_own_role)
{
    struct staffed s;
    staff(&s);
    char member_role[TEAMS_ID_MAX];
    teams_builtin_role(&s.admin.c, s.team, "member", member_role);
    struct reply *r = set_role(&s.manager.c, s.team, s.manager.id, member_role);
    teams_assert_problem(r, 403, "forbidden");
    cr_assert_null(json_object_get(r->json, "required"), "%s", r->body);
    reply_free(r);
    assert_role(&s.manager, s.team, "Gestion");
}

Test(members, plain_member_cannot_change_roles)
{
    struct staffed s;
    staff(&s);
    struct reply *r = set_role(&s.member.c, s.team, s.manager.id, s.manager_role);
    teams_assert_forbidden(r, "members.manage");
    reply_free(r);
}

Test(members, plain_member_cannot_remove_another)
{
    struct staffed s;
    staff(&s);
    struct reply *r = client_send(&s.member.c, "DELETE",
                                  tpath("/api/v1/teams/%s/members/%s", s.team, s.manager.id),
                                  NULL, NULL);
    teams_assert_forbidden(r, "members.manage");
    reply_free(r);
    assert_role(&s.manager, s.team, "Gestion");
}

Test(members, removed_member_loses_access_at_once)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    assert_role(&m, team, "member");
    struct reply *r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/members/%s", team, m.id),
                                  NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);

    /* The same session, right away. */
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s", team), NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    r = client_send(&m.c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "teams")), 0, "%s", r->body);
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/members", team), NULL, NULL);
    cr_assert(!strstr(r->body, m.id), "removed member still listed: %s", r->body);
    reply_free(r);
}

Test(members, member_leaves_by_itself)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = client_send(&m.c, "DELETE", tpath("/api/v1/teams/%s/members/%s", team, m.id),
                                  NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/members", team), NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

Test(members, role_of_another_team_is_unknown)
{
    struct teams_user a, b, m;
    char team[TEAMS_ID_MAX], other[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_admin(&b, other);
    teams_role(&b.c, other, "Ailleurs", NULL, role);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = set_role(&a.c, team, m.id, role);
    teams_assert_field_problem(r, "role_id", "unknown_role");
    reply_free(r);
}

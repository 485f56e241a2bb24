/* A member of another team sees none of a team's endpoints: 404, as for a team that does not
 * exist, and nothing changes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/teams.h"
#include "support/testdb.h"

/* A team with a member, a custom role and a pending invitation. */
struct victim {
    struct teams_user admin, member;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX], member_role[TEAMS_ID_MAX];
    char invitation[TEAMS_ID_MAX], invited[128];
};

static void victim_setup(struct victim *v)
{
    teams_admin(&v->admin, v->team);
    const char *const perms[] = {"letters.send", NULL};
    teams_role(&v->admin.c, v->team, "Secret", perms, v->role);
    teams_builtin_role(&v->admin.c, v->team, "member", v->member_role);
    teams_join(&v->admin.c, v->team, NULL, &v->member);
    client_unique_email(v->invited, sizeof(v->invited), "victim");
    teams_invite(&v->admin.c, v->team, v->invited, NULL, v->invitation);
}

struct call {
    const char *method;
    char path[512];
    char body[512];
};

/* Every endpoint of a team, with real ids of its members, roles and invitations. */
static size_t team_calls(const struct victim *v, const char *team, struct call *calls)
{
    size_t n = 0;
#define CALL(m, b, ...)                                                                        \
    do {                                                                                       \
        calls[n].method = (m);                                                                 \
        snprintf(calls[n].path, sizeof(calls[n].path), __VA_ARGS__);                           \
        snprintf(calls[n].body, sizeof(calls[n].body), "%s", (b));                             \
        n++;                                                                                   \
    } while (0)
    char role_body[128], pm_body[256];
    snprintf(role_body, sizeof(role_body), "{\"role_id\":\"%s\"}", v->role);
    snprintf(pm_body, sizeof(pm_body),
             "{\"provider\":\"stripe\",\"token\":\"pm_x\",\"brand\":\"visa\",\"last4\":\"4242\","
             "\"exp_month\":12,\"exp_year\":2199}");
    CALL("GET", "", "/api/v1/teams/%s", team);
    CALL("PATCH", "{\"name\":\"Pris\"}", "/api/v1/teams/%s", team);
    CALL("GET", "", "/api/v1/teams/%s/audit", team);
    CALL("GET", "", "/api/v1/teams/%s/members", team);
    CALL("PATCH", role_body, "/api/v1/teams/%s/members/%s", team, v->member.id);
    CALL("DELETE", "", "/api/v1/teams/%s/members/%s", team, v->member.id);
    CALL("GET", "", "/api/v1/teams/%s/roles", team);
    CALL("POST", "{\"name\":\"Intrus\",\"permissions\":[]}", "/api/v1/teams/%s/roles", team);
    CALL("PATCH", "{\"name\":\"Pris\"}", "/api/v1/teams/%s/roles/%s", team, v->role);
    CALL("DELETE", "", "/api/v1/teams/%s/roles/%s", team, v->role);
    CALL("GET", "", "/api/v1/teams/%s/invitations", team);
    CALL("POST", "{\"emails\":[\"intrus@example.test\"]}", "/api/v1/teams/%s/invitations", team);
    CALL("DELETE", "", "/api/v1/teams/%s/invitations/%s", team, v->invitation);
    CALL("POST", "", "/api/v1/teams/%s/invitations/%s/resend", team, v->invitation);
    CALL("GET", "", "/api/v1/teams/%s/payment-method", team);
    CALL("PUT", pm_body, "/api/v1/teams/%s/payment-method", team);
#undef CALL
    return n;
}

static struct reply *send_call(struct client *c, const struct call *call)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    return client_send(c, call->method, call->path, call->body[0] ? call->body : NULL,
                       call->body[0] ? json_type : NULL);
}

static long count(const char *sql, const char *id)
{
    const char *params[] = {id};
    return testdb_long(sql, 1, params);
}

Test(team_isolation, member_of_another_team_gets_404_everywhere)
{
    struct victim v;
    victim_setup(&v);
    struct teams_user outsider;
    char own[TEAMS_ID_MAX];
    teams_admin(&outsider, own); /* administrator of its own team */

    struct call calls[32];
    size_t n = team_calls(&v, v.team, calls);
    cr_assert_eq(n, 16);
    for (size_t i = 0; i < n; i++) {
        struct reply *r = send_call(&outsider.c, &calls[i]);
        cr_assert_eq(r->status, 404, "%s %s: %ld %s", calls[i].method, calls[i].path, r->status,
                     r->body);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
    }

    /* Nothing changed. */
    struct reply *r = client_send(&v.admin.c, "GET", tpath("/api/v1/teams/%s", v.team), NULL,
                                  NULL);
    cr_assert_str_eq(teams_str(r->json, "name"), "Cabinet Durand");
    reply_free(r);
    cr_assert_eq(count("SELECT count(*) FROM memberships WHERE team_id = $1", v.team), 2);
    cr_assert_eq(count("SELECT count(*) FROM roles WHERE team_id = $1", v.team), 3);
    cr_assert_eq(count("SELECT count(*) FROM roles WHERE id = $1 AND name = 'Secret'", v.role), 1);
    cr_assert_eq(count("SELECT count(*) FROM invitations WHERE team_id = $1", v.team), 2);
    cr_assert_eq(count("SELECT count(*) FROM invitations WHERE id = $1 AND status = 'pending' "
                       "AND version = 1",
                       v.invitation),
                 1);
    cr_assert_eq(count("SELECT count(*) FROM payment_methods WHERE team_id = $1", v.team), 0);
    cr_assert_eq(count("SELECT count(*) FROM memberships m JOIN roles r ON r.id = m.role_id "
                       "WHERE m.team_id = $1 AND r.builtin = 'member'",
                       v.team),
                 1);
}

Test(team_isolation, another_team_looks_like_no_team_at_all)
{
    struct victim v;
    victim_setup(&v);
    struct teams_user outsider;
    char own[TEAMS_ID_MAX];
    teams_admin(&outsider, own);
    struct reply *real = client_send(&outsider.c, "GET", tpath("/api/v1/teams/%s", v.team), NULL,
                                     NULL);
    struct reply *none = client_send(&outsider.c, "GET",
                                     "/api/v1/teams/00000000-0000-4000-8000-000000000000", NULL,
                                     NULL);
    teams_assert_problem(real, 404, "not_found");
    teams_assert_problem(none, 404, "not_found");
    cr_assert_str_eq(teams_str(real->json, "detail"), teams_str(none->json, "detail"));
    cr_assert_str_eq(teams_str(real->json, "title"), teams_str(none->json, "title"));
    reply_free(real);
    reply_free(none);
}

Test(team_isolation, ids_of_another_team_are_not_found_through_ones_own_team)
{
    struct victim v;
    victim_setup(&v);
    struct teams_user outsider;
    char own[TEAMS_ID_MAX], own_member_role[TEAMS_ID_MAX];
    teams_admin(&outsider, own);
    teams_builtin_role(&outsider.c, own, "member", own_member_role);
    char role_body[128];
    snprintf(role_body, sizeof(role_body), "{\"role_id\":\"%s\"}", own_member_role);
    struct call calls[] = {
        {"PATCH", "", ""}, {"DELETE", "", ""}, {"PATCH", "", "{\"name\":\"Pris\"}"},
        {"DELETE", "", ""}, {"DELETE", "", ""}, {"POST", "", ""},
    };
    snprintf(calls[0].path, sizeof(calls[0].path), "/api/v1/teams/%s/members/%s", own,
             v.member.id);
    snprintf(calls[0].body, sizeof(calls[0].body), "%s", role_body);
    snprintf(calls[1].path, sizeof(calls[1].path), "/api/v1/teams/%s/members/%s", own,
             v.member.id);
    snprintf(calls[2].path, sizeof(calls[2].path), "/api/v1/teams/%s/roles/%s", own, v.role);
    snprintf(calls[3].path, sizeof(calls[3].path), "/api/v1/teams/%s/roles/%s", own, v.role);
    snprintf(calls[4].path, sizeof(calls[4].path), "/api/v1/teams/%s/invitations/%s", own,
             v.invitation);
    snprintf(calls[5].path, sizeof(calls[5].path), "/api/v1/teams/%s/invitations/%s/resend", own,
             v.invitation);
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        struct reply *r = send_call(&outsider.c, &calls[i]);
        cr_assert_eq(r->status, 404, "%s %s: %ld %s", calls[i].method, calls[i].path, r->status,
                     r->body);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
    }
    cr_assert_eq(count("SELECT count(*) FROM memberships WHERE team_id = $1", v.team), 2);
    cr_assert_eq(count("SELECT count(*) FROM roles WHERE id = $1 AND name = 'Secret'", v.role), 1);
    cr_assert_eq(count("SELECT count(*) FROM invitations WHERE id = $1 AND status = 'pending' "
                       "AND version = 1",
                       v.invitation),
                 1);
}

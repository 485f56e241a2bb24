/* The team's payment method: set by the administrator alone, read with billing.view, never
 * showing the provider's token, and never needed by members. */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "support/client.h"
#include "support/teams.h"
#include "support/testdb.h"

#define PROVIDER_TOKEN "pm_1QxTestOpaqueReference"

static int next_years(int n)
{
    time_t now = time(NULL);
    struct tm t;
    gmtime_r(&now, &t);
    return t.tm_year + 1900 + n;
}

static struct reply *put(struct client *c, const char *team, const char *token)
{
    return client_json(c, "PUT", tpath("/api/v1/teams/%s/payment-method", team),
                       "{s:s, s:s, s:s, s:s, s:i, s:i}", "provider", "stripe", "token", token,
                       "brand", "visa", "last4", "4242", "exp_month", 12, "exp_year",
                       next_years(3));
}

static long stored(const char *team)
{
    const char *params[] = {team};
    return testdb_long("SELECT count(*) FROM payment_methods WHERE team_id = $1", 1, params);
}

Test(payment_method, administrator_registers_it_and_the_token_never_comes_back)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = put(&a.c, team, PROVIDER_TOKEN);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "last4"), "4242", "%s", r->body);
    cr_assert(!json_object_get(r->json, "token") && !strstr(r->body, PROVIDER_TOKEN), "%s",
              r->body);
    reply_free(r);

    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/payment-method", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "brand"), "visa", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "updated_by"), a.id, "%s", r->body);
    cr_assert(!json_object_get(r->json, "token") && !strstr(r->body, PROVIDER_TOKEN), "%s",
              r->body);
    reply_free(r);

    const char *params[] = {team};
    PGresult *db = testdb_exec("SELECT token FROM payment_methods WHERE team_id = $1", 1, params);
    cr_assert_str_eq(PQgetvalue(db, 0, 0), PROVIDER_TOKEN);
    PQclear(db);
}

Test(payment_method, member_with_every_permission_cannot_register_it)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Tout", teams_all_permissions, role);
    teams_join(&a.c, team, role, &m);
    struct reply *r = put(&m.c, team, PROVIDER_TOKEN);
    teams_assert_forbidden(r, "administrator");
    reply_free(r);
    cr_assert_eq(stored(team), 0);
}

Test(payment_method, card_number_as_token_is_refused)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = put(&a.c, team, "4242 4242-4242 4242");
    teams_assert_field_problem(r, "token", "card_number_refused");
    cr_assert(!strstr(r->body, "4242 4242"), "the number must not be echoed: %s", r->body);
    reply_free(r);
    cr_assert_eq(stored(team), 0);
}

Test(payment_method, reading_needs_billing_view)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = put(&a.c, team, PROVIDER_TOKEN);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    teams_join(&a.c, team, NULL, &m);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/payment-method", team), NULL, NULL);
    teams_assert_forbidden(r, "billing.view");
    cr_assert(!strstr(r->body, "4242"), "%s", r->body);
    reply_free(r);
}

Test(payment_method, billing_viewer_reads_it_without_the_token)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = put(&a.c, team, PROVIDER_TOKEN);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    const char *const perms[] = {"billing.view", NULL};
    teams_role(&a.c, team, "Comptable", perms, role);
    teams_join(&a.c, team, role, &m);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/payment-method", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "last4"), "4242", "%s", r->body);
    cr_assert(!json_object_get(r->json, "token") && !strstr(r->body, PROVIDER_TOKEN), "%s",
              r->body);
    reply_free(r);
}

Test(payment_method, members_join_and_work_without_one)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/payment-method", team),
                                  NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    teams_join(&a.c, team, NULL, &m);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/members", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2, "%s", r->body);
    reply_free(r);
    cr_assert_eq(stored(team), 0);
}

Test(payment_method, expired_card_is_refused)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = client_json(&a.c, "PUT", tpath("/api/v1/teams/%s/payment-method", team),
                                  "{s:s, s:s, s:s, s:s, s:i, s:i}", "provider", "stripe", "token",
                                  PROVIDER_TOKEN, "brand", "visa", "last4", "4242", "exp_month",
                                  1, "exp_year", next_years(-1));
    teams_assert_field_problem(r, "exp_year", "expired");
    reply_free(r);
    cr_assert_eq(stored(team), 0);
}

Test(payment_method, change_is_audited_without_the_token)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = put(&a.c, team, PROVIDER_TOKEN);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/audit", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *e = json_array_get(json_object_get(r->json, "items"), 0);
    cr_assert_str_eq(teams_str(e, "action"), "payment_method.updated", "%s", r->body);
    cr_assert_str_eq(teams_str(e, "target"), team);
    cr_assert_str_eq(teams_str(e, "actor_id"), a.id);
    cr_assert_str_eq(teams_str(json_object_get(e, "after"), "last4"), "4242", "%s", r->body);
    cr_assert(!strstr(r->body, PROVIDER_TOKEN), "the audit log shows the token: %s", r->body);
    reply_free(r);
    const char *params[] = {team};
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND (before::text LIKE '%pm_1Qx%' OR after::text LIKE '%pm_1Qx%')",
                             1, params),
                 0);
}

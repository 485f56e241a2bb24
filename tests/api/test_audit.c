/* The team's audit log: who did what, before and after; administrator only; append-only. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/teams.h"
#include "support/testdb.h"

/* The audit page of a team, as its administrator reads it. */
static struct reply *audit(struct client *admin, const char *team)
{
    struct reply *r = client_send(admin, "GET", tpath("/api/v1/teams/%s/audit", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    return r;
}

/* The newest event with that action (and target, unless NULL); fails the test when absent. */
static json_t *event(const struct reply *r, const char *action, const char *target)
{
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(r->json, "items"), i, e)
        if (strcmp(teams_str(e, "action"), action) == 0 &&
            (!target || strcmp(teams_str(e, "target"), target) == 0))
            return e;
    cr_assert_fail("no %s event for %s in %s", action, target ? target : "-", r->body);
    return NULL;
}

static const char *field(const json_t *e, const char *side, const char *key)
{
    return teams_str(json_object_get(e, side), key);
}

Test(audit, records_invitations_created_and_accepted)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = audit(&a.c, team);
    json_t *created = event(r, "invitation.created", NULL);
    cr_assert_str_eq(teams_str(created, "actor_id"), a.id);
    cr_assert_str_eq(field(created, "after", "email"), m.email);
    json_t *accepted = event(r, "invitation.accepted", teams_str(created, "target"));
    cr_assert_str_eq(teams_str(accepted, "actor_id"), m.id);
    cr_assert_str_eq(field(accepted, "after", "user_id"), m.id);
    reply_free(r);
}

Test(audit, records_a_role_change_with_before_and_after)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], member_role[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_builtin_role(&a.c, team, "member", member_role);
    teams_role(&a.c, team, "Validation", NULL, role);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s/members/%s", team, m.id),
                                  "{s:s}", "role_id", role);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = audit(&a.c, team);
    json_t *e = event(r, "member.role_changed", m.id);
    cr_assert_str_eq(teams_str(e, "actor_id"), a.id);
    cr_assert_str_eq(field(e, "before", "role_id"), member_role, "%s", r->body);
    cr_assert_str_eq(field(e, "after", "role_id"), role, "%s", r->body);
    reply_free(r);
}

Test(audit, records_a_removal_with_the_member_before)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/members/%s", team, m.id),
                                  NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    r = audit(&a.c, team);
    json_t *e = event(r, "member.removed", m.id);
    cr_assert_str_eq(teams_str(e, "actor_id"), a.id);
    cr_assert_str_eq(teams_str(json_object_get(json_object_get(e, "before"), "user"), "email"),
                     m.email, "%s", r->body);
    cr_assert(json_is_null(json_object_get(e, "after")), "%s", r->body);
    reply_free(r);
}

Test(audit, records_roles_created_updated_and_deleted)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    const char *const perms[] = {"groups.manage", NULL};
    teams_role(&a.c, team, "Groupes", perms, role);
    struct reply *r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s/roles/%s", team, role),
                                  "{s:s}", "name", "Listes");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/roles/%s", team, role), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);

    r = audit(&a.c, team);
    json_t *created = event(r, "role.created", NULL);
    cr_assert_str_eq(teams_str(created, "actor_id"), a.id);
    cr_assert_str_eq(field(created, "after", "id"), role, "%s", r->body);
    cr_assert_str_eq(field(created, "after", "name"), "Groupes");
    json_t *updated = event(r, "role.updated", role);
    cr_assert_str_eq(field(updated, "before", "name"), "Groupes", "%s", r->body);
    cr_assert_str_eq(field(updated, "after", "name"), "Listes", "%s", r->body);
    json_t *deleted = event(r, "role.deleted", role);
    cr_assert_str_eq(field(deleted, "before", "name"), "Listes", "%s", r->body);
    cr_assert(json_is_null(json_object_get(deleted, "after")), "%s", r->body);
    reply_free(r);
}

Test(audit, only_the_administrator_reads_it)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Tout", teams_all_permissions, role);
    teams_join(&a.c, team, role, &m);
    struct reply *r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/audit", team), NULL, NULL);
    teams_assert_forbidden(r, "administrator");
    reply_free(r);
}

/* Runs one statement outside testdb (which asserts success); returns whether it succeeded. */
static int db_statement_succeeds(const char *sql, const char *team)
{
    PGconn *conn = PQconnectdb(getenv("PLI_DATABASE_URL"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    const char *params[] = {team};
    PGresult *r = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(conn);
    return ok;
}

Test(audit, events_cannot_be_modified_or_deleted)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    const char *params[] = {team};
    long before = testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                              "AND action = 'team.created'",
                              1, params);
    cr_assert_eq(before, 1);
    cr_assert(!db_statement_succeeds("UPDATE audit_events SET action = 'forged' "
                                     "WHERE team_id = $1",
                                     team),
              "an audit event was modified");
    cr_assert(!db_statement_succeeds("DELETE FROM audit_events WHERE team_id = $1", team),
              "an audit event was deleted");
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND action = 'team.created'",
                             1, params),
                 1);
}

Test(audit, role_events_share_the_role_id_as_target)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_role(&a.c, team, "Clients", NULL, role);
    struct reply *r = audit(&a.c, team);
    /* docs/openapi.yaml, AuditEvent: "role.created: the role id; after: the role." */
    json_t *created = event(r, "role.created", NULL);
    cr_assert_str_eq(teams_str(created, "target"), role, "role.created target: %s", r->body);
    reply_free(r);
}

Test(audit, records_settings_before_and_after)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = client_json(&a.c, "PATCH", tpath("/api/v1/teams/%s", team), "{s:s}", "name",
                                  "Cabinet Roux");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = audit(&a.c, team);
    json_t *e = event(r, "team.updated", team);
    cr_assert_str_eq(teams_str(e, "actor_id"), a.id);
    cr_assert_str_eq(field(e, "before", "name"), "Cabinet Durand", "%s", r->body);
    cr_assert_str_eq(field(e, "after", "name"), "Cabinet Roux", "%s", r->body);
    reply_free(r);
}

Test(audit, pages_with_a_cursor)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], role[TEAMS_ID_MAX];
    teams_admin(&a, team); /* team.created */
    teams_role(&a.c, team, "Un", NULL, role);
    teams_role(&a.c, team, "Deux", NULL, role);
    struct reply *r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/audit?limit=2", team),
                                  NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2, "%s", r->body);
    char cursor[64];
    snprintf(cursor, sizeof(cursor), "%s", teams_str(r->json, "next_cursor"));
    cr_assert(cursor[0], "a full page gives a cursor: %s", r->body);
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/audit?limit=2&cursor=%s", team, cursor),
                    NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "action"), "team.created");
    cr_assert(json_is_null(json_object_get(r->json, "next_cursor")), "%s", r->body);
    reply_free(r);
    r = client_send(&a.c, "GET", tpath("/api/v1/teams/%s/audit?cursor=abc", team), NULL, NULL);
    teams_assert_field_problem(r, "cursor", "invalid_format");
    reply_free(r);
}

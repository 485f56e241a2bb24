/* Invitations from the team's side: batches, e-mails, list, revoke, resend. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "lib/crypto.h"
#include "support/client.h"
#include "support/maildir.h"
#include "support/teams.h"
#include "support/testdb.h"

#define BATCH 50

static struct reply *invite_many(struct client *c, const char *team, json_t *emails)
{
    return client_json(c, "POST", tpath("/api/v1/teams/%s/invitations", team), "{s:o}", "emails",
                       emails);
}

Test(invitations, batch_of_fifty_sends_fifty_working_links, .timeout = 120)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    static char emails[BATCH][128];
    json_t *list = json_array();
    for (int i = 0; i < BATCH; i++) {
        client_unique_email(emails[i], sizeof(emails[i]), "batch");
        json_array_append_new(list, json_string(emails[i]));
    }
    struct reply *r = invite_many(&a.c, team, list);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *results = json_object_get(r->json, "results");
    cr_assert_eq(json_array_size(results), BATCH, "%s", r->body);
    for (int i = 0; i < BATCH; i++) {
        json_t *one = json_array_get(results, (size_t)i);
        cr_assert_str_eq(teams_str(one, "email"), emails[i]);
        cr_assert_str_eq(teams_str(one, "status"), "invited", "%s", r->body);
    }

    static char tokens[BATCH][TEAMS_TOKEN_MAX];
    for (int i = 0; i < BATCH; i++) {
        const char *id = teams_str(json_array_get(results, (size_t)i), "invitation_id");
        teams_wait_token(emails[i], id, 1, tokens[i]);
        cr_assert_eq(maildir_count_for(emails[i], 0, 1), 1, "one e-mail to %s", emails[i]);
        /* The link redeems this invitation: its token is the current one of that address. */
        char hash[CRYPTO_TOKEN_HASH_HEX + 1];
        crypto_token_hash(tokens[i], strlen(tokens[i]), hash);
        const char *params[] = {hash, id, emails[i], team};
        cr_assert_eq(testdb_long("SELECT count(*) FROM invitation_tokens t JOIN invitations i "
                                 "ON i.id = t.invitation_id AND i.version = t.version "
                                 "WHERE t.token_hash = $1 AND i.id = $2 AND i.email = $3 "
                                 "AND i.team_id = $4 AND i.status = 'pending'",
                                 4, params),
                     1, "the link to %s does not lead to its invitation", emails[i]);
    }
    reply_free(r);

    /* Two of them opened through the API (the link endpoints are rate-limited). */
    for (int i = 0; i < BATCH; i += BATCH - 1) {
        struct client anon;
        client_init(&anon);
        r = client_send(&anon, "GET", tpath("/api/v1/invitations/%s", tokens[i]), NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        cr_assert_str_eq(teams_str(r->json, "email"), emails[i]);
        reply_free(r);
    }
}

Test(invitations, batch_of_fifty_one_is_refused)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], email[128];
    teams_admin(&a, team);
    json_t *list = json_array();
    for (int i = 0; i < BATCH + 1; i++) {
        client_unique_email(email, sizeof(email), "toomany");
        json_array_append_new(list, json_string(email));
    }
    struct reply *r = invite_many(&a.c, team, list);
    teams_assert_field_problem(r, "emails", "wrong_count");
    reply_free(r);
    const char *params[] = {team};
    cr_assert_eq(testdb_long("SELECT count(*) FROM invitations WHERE team_id = $1", 1, params), 0);
    cr_assert_eq(maildir_count_for(email, 1000, 1), 0, "no e-mail may leave");
}

Test(invitations, batch_reports_each_address)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], fresh[128], pending[128], inv[TEAMS_ID_MAX], shouted[160];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    client_unique_email(pending, sizeof(pending), "pending");
    teams_invite(&a.c, team, pending, NULL, inv);
    client_unique_email(fresh, sizeof(fresh), "fresh");
    snprintf(shouted, sizeof(shouted), " %s", fresh);
    for (char *p = shouted; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    struct reply *r = invite_many(&a.c, team,
                                  json_pack("[s, s, s, s, s]", fresh, "pas-une-adresse", shouted,
                                            m.email, pending));
    cr_assert_eq(r->status, 200, "%s", r->body);
    const char *expected[] = {"invited", "invalid_email", "already_invited", "already_member",
                              "already_invited"};
    json_t *results = json_object_get(r->json, "results");
    cr_assert_eq(json_array_size(results), 5, "%s", r->body);
    for (size_t i = 0; i < 5; i++)
        cr_assert_str_eq(teams_str(json_array_get(results, i), "status"), expected[i],
                         "address %zu: %s", i, r->body);
    cr_assert_str_eq(teams_str(json_array_get(results, 4), "invitation_id"), inv);
    reply_free(r);
}

Test(invitations, plain_member_cannot_invite)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], email[128];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    client_unique_email(email, sizeof(email), "nope");
    struct reply *r = invite_many(&m.c, team, json_pack("[s]", email));
    teams_assert_forbidden(r, "members.manage");
    reply_free(r);
}

Test(invitations, manager_cannot_invite_into_a_role_above_its_own)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], manager[TEAMS_ID_MAX], settings[TEAMS_ID_MAX], email[128];
    teams_admin(&a, team);
    const char *const perms[] = {"members.manage", NULL};
    teams_role(&a.c, team, "Gestion", perms, manager);
    const char *const more[] = {"settings.manage", NULL};
    teams_role(&a.c, team, "Réglages", more, settings);
    teams_join(&a.c, team, manager, &m);
    client_unique_email(email, sizeof(email), "above");
    struct reply *r = client_json(&m.c, "POST", tpath("/api/v1/teams/%s/invitations", team),
                                  "{s:[s], s:s}", "emails", email, "role_id", settings);
    teams_assert_forbidden(r, "settings.manage");
    reply_free(r);
}

/* GET .../invitations?query as the given caller. */
static struct reply *list(struct client *c, const char *team, const char *query)
{
    return client_send(c, "GET", tpath("/api/v1/teams/%s/invitations?%s", team, query), NULL,
                       NULL);
}

static void assert_only(struct client *c, const char *team, const char *status,
                        const char *email)
{
    struct reply *r = list(c, team, tpath("status=%s", status));
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "status=%s: %s", status, r->body);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "email"), email, "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "status"), status, "%s", r->body);
    reply_free(r);
}

Test(invitations, list_filters_by_status)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], pending[128], revoked[128], expired[128], id[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    client_unique_email(pending, sizeof(pending), "pending");
    teams_invite(&a.c, team, pending, NULL, id);
    client_unique_email(revoked, sizeof(revoked), "revoked");
    teams_invite(&a.c, team, revoked, NULL, id);
    struct reply *r = client_send(&a.c, "DELETE",
                                  tpath("/api/v1/teams/%s/invitations/%s", team, id), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    client_unique_email(expired, sizeof(expired), "expired");
    teams_invite(&a.c, team, expired, NULL, id);
    teams_expire(id);

    assert_only(&a.c, team, "pending", pending);
    assert_only(&a.c, team, "accepted", m.email);
    assert_only(&a.c, team, "revoked", revoked);
    assert_only(&a.c, team, "expired", expired);
    r = list(&a.c, team, "");
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 4, "%s", r->body);
    reply_free(r);
}

Test(invitations, list_refuses_an_unknown_status)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    struct reply *r = list(&a.c, team, "status=lost");
    teams_assert_field_problem(r, "status", "not_allowed");
    reply_free(r);
}

Test(invitations, list_pages_with_a_cursor)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], email[128], cursor[TEAMS_ID_MAX] = "";
    teams_admin(&a, team);
    json_t *emails = json_array();
    for (int i = 0; i < 5; i++) {
        client_unique_email(email, sizeof(email), "page");
        json_array_append_new(emails, json_string(email));
    }
    struct reply *r = invite_many(&a.c, team, emails);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    json_t *seen = json_object();
    const size_t sizes[] = {2, 2, 1};
    for (int page = 0; page < 3; page++) {
        r = list(&a.c, team, cursor[0] ? tpath("limit=2&cursor=%s", cursor) : "limit=2");
        cr_assert_eq(r->status, 200, "%s", r->body);
        json_t *items = json_object_get(r->json, "items");
        cr_assert_eq(json_array_size(items), sizes[page], "page %d: %s", page, r->body);
        size_t i;
        json_t *it;
        json_array_foreach (items, i, it) {
            cr_assert_null(json_object_get(seen, teams_str(it, "id")), "repeated: %s", r->body);
            json_object_set_new(seen, teams_str(it, "id"), json_true());
        }
        const char *next = teams_str(r->json, "next_cursor");
        cr_assert(page == 2 ? !next[0] : next[0] != '\0', "page %d cursor: %s", page, r->body);
        snprintf(cursor, sizeof(cursor), "%s", next);
        reply_free(r);
    }
    cr_assert_eq(json_object_size(seen), 5);
    json_decref(seen);
}

Test(invitations, role_of_another_team_is_unknown)
{
    struct teams_user a, b;
    char team[TEAMS_ID_MAX], other[TEAMS_ID_MAX], role[TEAMS_ID_MAX], email[128];
    teams_admin(&a, team);
    teams_admin(&b, other);
    teams_role(&b.c, other, "Ailleurs", NULL, role);
    client_unique_email(email, sizeof(email), "elsewhere");
    struct reply *r = client_json(&a.c, "POST", tpath("/api/v1/teams/%s/invitations", team),
                                  "{s:[s], s:s}", "emails", email, "role_id", role);
    teams_assert_field_problem(r, "role_id", "unknown_role");
    reply_free(r);
}

/* docs/openapi.yaml, POST .../invitations: "all with the same role: role_id, or the built-in
 * member role when left out. The role must [...] grant no permission the caller's own role
 * lacks (403 forbidden, required names it)." The member role grants letters.send. */
Test(invitations, default_member_role_is_checked_against_the_inviter)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX], manager[TEAMS_ID_MAX], email[128];
    teams_admin(&a, team);
    const char *const perms[] = {"members.manage", NULL};
    teams_role(&a.c, team, "Gestion seule", perms, manager);
    teams_join(&a.c, team, manager, &m);
    client_unique_email(email, sizeof(email), "default");
    struct reply *r = client_json(&m.c, "POST", tpath("/api/v1/teams/%s/invitations", team),
                                  "{s:[s]}", "emails", email);
    teams_assert_forbidden(r, "letters.send");
    reply_free(r);
    const char *params[] = {team, email};
    cr_assert_eq(testdb_long("SELECT count(*) FROM invitations WHERE team_id = $1 AND email = $2",
                             2, params),
                 0);
}

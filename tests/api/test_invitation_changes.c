/* Changes of an invitation by the team: revoke and resend, and when they are refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/maildir.h"
#include "support/teams.h"

static struct reply *resend(struct client *c, const char *team, const char *id)
{
    return client_send(c, "POST", tpath("/api/v1/teams/%s/invitations/%s/resend", team, id),
                       NULL, NULL);
}

Test(invitation_changes, revoke_withdraws_the_link)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], email[128], id[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX];
    teams_admin(&a, team);
    client_unique_email(email, sizeof(email), "revoke");
    teams_invite(&a.c, team, email, NULL, id);
    teams_wait_token(email, id, 1, token);
    const char *path = tpath("/api/v1/teams/%s/invitations/%s", team, id);
    struct reply *r = client_send(&a.c, "DELETE", path, NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    struct client anon;
    client_init(&anon);
    r = client_send(&anon, "GET", tpath("/api/v1/invitations/%s", token), NULL, NULL);
    teams_assert_problem(r, 410, "invitation_revoked");
    reply_free(r);
    r = client_send(&a.c, "DELETE", path, NULL, NULL);
    teams_assert_problem(r, 409, "invitation_not_pending");
    reply_free(r);
}

Test(invitation_changes, resend_replaces_the_link)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], email[128], id[TEAMS_ID_MAX];
    char first[TEAMS_TOKEN_MAX], second[TEAMS_TOKEN_MAX];
    teams_admin(&a, team);
    client_unique_email(email, sizeof(email), "resend");
    teams_invite(&a.c, team, email, NULL, id);
    teams_wait_token(email, id, 1, first);
    struct reply *r = resend(&a.c, team, id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "pending", "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "sent_at")), "%s", r->body);
    reply_free(r);
    teams_wait_token(email, id, 2, second);
    cr_assert_str_neq(first, second, "the new e-mail must carry a new token");
    cr_assert_eq(maildir_count_for(email, 0, 2), 2);

    struct client anon;
    client_init(&anon);
    r = client_send(&anon, "GET", tpath("/api/v1/invitations/%s", first), NULL, NULL);
    teams_assert_problem(r, 410, "invitation_replaced");
    reply_free(r);
    r = client_send(&anon, "GET", tpath("/api/v1/invitations/%s", second), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "email"), email);
    reply_free(r);
}

Test(invitation_changes, resend_of_an_accepted_invitation_is_refused)
{
    struct teams_user a, m;
    char team[TEAMS_ID_MAX];
    teams_admin(&a, team);
    teams_join(&a.c, team, NULL, &m);
    struct reply *r = client_send(&a.c, "GET",
                                  tpath("/api/v1/teams/%s/invitations?status=accepted", team),
                                  NULL, NULL);
    char id[TEAMS_ID_MAX];
    snprintf(id, sizeof(id), "%s",
             teams_str(json_array_get(json_object_get(r->json, "items"), 0), "id"));
    reply_free(r);
    r = resend(&a.c, team, id);
    teams_assert_problem(r, 409, "invitation_not_pending");
    reply_free(r);
    r = client_send(&a.c, "DELETE", tpath("/api/v1/teams/%s/invitations/%s", team, id), NULL,
                    NULL);
    teams_assert_problem(r, 409, "invitation_not_pending");
    reply_free(r);
}

Test(invitation_changes, expired_invitation_is_resent_with_a_working_link)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], email[128], id[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX];
    teams_admin(&a, team);
    client_unique_email(email, sizeof(email), "lapsed");
    teams_invite(&a.c, team, email, NULL, id);
    teams_expire(id);
    struct reply *r = resend(&a.c, team, id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "pending", "%s", r->body);
    reply_free(r);
    teams_wait_token(email, id, 2, token);
    struct client anon;
    client_init(&anon);
    r = client_send(&anon, "GET", tpath("/api/v1/invitations/%s", token), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(invitation_changes, resend_of_an_expired_invitation_invited_again_is_a_conflict)
{
    struct teams_user a;
    char team[TEAMS_ID_MAX], email[128], old[TEAMS_ID_MAX], fresh[TEAMS_ID_MAX];
    teams_admin(&a, team);
    client_unique_email(email, sizeof(email), "again");
    teams_invite(&a.c, team, email, NULL, old);
    teams_expire(old);
    teams_invite(&a.c, team, email, NULL, fresh);
    cr_assert_str_neq(old, fresh);
    struct reply *r = resend(&a.c, team, old);
    teams_assert_problem(r, 409, "conflict");
    reply_free(r);
}

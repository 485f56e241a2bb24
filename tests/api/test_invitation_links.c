/* The invitee's side: the public link, accepting with an account, signing up through it, and
 * links that no longer redeem. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/teams.h"
#include "support/testdb.h"

/* A team whose administrator invited one address and whose e-mail arrived. */
struct link {
    struct teams_user admin;
    char team[TEAMS_ID_MAX], id[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX], email[128];
};

/* Invites `email` (NULL: a new address with no account). */
static void invite(struct link *l, const char *email)
{
    teams_admin(&l->admin, l->team);
    if (email)
        snprintf(l->email, sizeof(l->email), "%s", email);
    else
        client_unique_email(l->email, sizeof(l->email), "invitee");
    teams_invite(&l->admin.c, l->team, l->email, NULL, l->id);
    teams_wait_token(l->email, l->id, 1, l->token);
}

static struct reply *show_link(const struct link *l)
{
    struct client anon;
    client_init(&anon);
    return client_send(&anon, "GET", tpath("/api/v1/invitations/%s", l->token), NULL, NULL);
}

static struct reply *accept_link(struct client *c, const struct link *l)
{
    return client_send(c, "POST", tpath("/api/v1/invitations/%s/accept", l->token), NULL, NULL);
}

static struct reply *signup_link(struct client *c, const struct link *l)
{
    return client_json(c, "POST", tpath("/api/v1/invitations/%s/signup", l->token),
                       "{s:s, s:s, s:s}", "password", CLIENT_PASSWORD, "first_name", "Inès",
                       "last_name", "Moreau");
}

static long members_of(const char *team)
{
    const char *params[] = {team};
    return testdb_long("SELECT count(*) FROM memberships WHERE team_id = $1", 1, params);
}

Test(invitation_links, show_for_a_new_address)
{
    struct link l;
    invite(&l, NULL);
    struct reply *r = show_link(&l);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "team"), "name"), "Cabinet Durand");
    cr_assert_str_eq(teams_str(r->json, "email"), l.email);
    cr_assert(json_is_false(json_object_get(r->json, "account_exists")), "%s", r->body);
    cr_assert(!json_string_value(json_object_get(r->json, "first_name")), "%s", r->body);
    reply_free(r);
}

Test(invitation_links, show_for_an_existing_account_prefills_the_names)
{
    struct teams_user u;
    teams_user(&u);
    struct link l;
    invite(&l, u.email);
    struct reply *r = show_link(&l);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_true(json_object_get(r->json, "account_exists")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "first_name"), "Camille", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "last_name"), "Martin", "%s", r->body);
    reply_free(r);
}

Test(invitation_links, existing_user_accepts)
{
    struct teams_user u;
    teams_user(&u);
    struct link l;
    invite(&l, u.email);
    struct reply *r = accept_link(&u.c, &l);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *team = json_object_get(r->json, "team");
    cr_assert_str_eq(teams_str(team, "id"), l.team, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(team, "role"), "name"), "member", "%s", r->body);
    reply_free(r);
    r = client_send(&u.c, "GET", tpath("/api/v1/teams/%s", l.team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(invitation_links, new_user_signs_up_through_the_link)
{
    struct link l;
    invite(&l, NULL);
    struct client c;
    client_init(&c);
    struct reply *r = signup_link(&c, &l);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "user"), "email"), l.email);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "team"), "id"), l.team);
    cr_assert(c.session[0], "no session cookie");
    reply_free(r);
    r = client_send(&c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(json_object_get(r->json, "teams"), 0), "id"), l.team,
                     "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "user"), "first_name"), "Inès");
    reply_free(r);
}

Test(invitation_links, expired_link_is_refused)
{
    struct link l;
    invite(&l, NULL);
    teams_expire(l.id);
    struct reply *r = show_link(&l);
    teams_assert_problem(r, 410, "invitation_expired");
    reply_free(r);
    struct client c;
    client_init(&c);
    r = signup_link(&c, &l);
    teams_assert_problem(r, 410, "invitation_expired");
    reply_free(r);
    cr_assert_eq(members_of(l.team), 1);
}

Test(invitation_links, revoked_link_cannot_be_accepted)
{
    struct teams_user u;
    teams_user(&u);
    struct link l;
    invite(&l, u.email);
    struct reply *r = client_send(&l.admin.c, "DELETE",
                                  tpath("/api/v1/teams/%s/invitations/%s", l.team, l.id), NULL,
                                  NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    r = accept_link(&u.c, &l);
    teams_assert_problem(r, 410, "invitation_revoked");
    reply_free(r);
    cr_assert_eq(members_of(l.team), 1);
}

Test(invitation_links, used_link_is_refused)
{
    struct teams_user u;
    teams_user(&u);
    struct link l;
    invite(&l, u.email);
    struct reply *r = accept_link(&u.c, &l);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = accept_link(&u.c, &l);
    teams_assert_problem(r, 409, "invitation_already_used");
    reply_free(r);
}

Test(invitation_links, replaced_link_is_refused)
{
    struct teams_user u;
    teams_user(&u);
    struct link l;
    invite(&l, u.email);
    struct reply *r = client_send(&l.admin.c, "POST",
                                  tpath("/api/v1/teams/%s/invitations/%s/resend", l.team, l.id),
                                  NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = accept_link(&u.c, &l);
    teams_assert_problem(r, 410, "invitation_replaced");
    reply_free(r);
    cr_assert_eq(members_of(l.team), 1);
}

Test(invitation_links, accepting_with_another_email_is_refused)
{
    struct teams_user other;
    teams_user(&other);
    struct link l;
    invite(&l, NULL);
    struct reply *r = accept_link(&other.c, &l);
    teams_assert_problem(r, 403, "invitation_email_mismatch");
    reply_free(r);
    cr_assert_eq(members_of(l.team), 1);
    r = show_link(&l);
    cr_assert_eq(r->status, 200, "the link must still work: %s", r->body);
    reply_free(r);
}

Test(invitation_links, signup_for_an_existing_account_is_refused)
{
    struct teams_user u;
    teams_user(&u);
    struct link l;
    invite(&l, u.email);
    struct client c;
    client_init(&c);
    struct reply *r = signup_link(&c, &l);
    teams_assert_problem(r, 409, "email_taken");
    reply_free(r);
    cr_assert_str_empty(c.session);
    cr_assert_eq(members_of(l.team), 1);
}

Test(invitation_links, unknown_token_is_not_found)
{
    struct client anon;
    client_init(&anon);
    struct reply *r = client_send(&anon, "GET",
                                  "/api/v1/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                  NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

#define RACERS 50

struct body {
    char data[1024];
    size_t len;
};

static size_t keep_start(char *ptr, size_t size, size_t n, void *userdata)
{
    struct body *b = userdata;
    size_t add = size * n;
    size_t room = sizeof(b->data) - 1 - b->len;
    memcpy(b->data + b->len, ptr, add < room ? add : room);
    b->len += add < room ? add : room;
    b->data[b->len] = '\0';
    return add;
}

Test(invitation_links, fifty_concurrent_redemptions_make_one_membership, .timeout = 120)
{
    struct teams_user u;
    teams_user(&u);
    struct link l;
    invite(&l, u.email);

    char cookie[CLIENT_TOKEN_MAX + 32], origin[512];
    snprintf(cookie, sizeof(cookie), "Cookie: pli_session=%s", u.c.session);
    snprintf(origin, sizeof(origin), "Origin: %s", client_base_url());
    struct curl_slist *headers = curl_slist_append(NULL, cookie);
    headers = curl_slist_append(headers, origin);
    const char *url = tpath("%s/api/v1/invitations/%s/accept", client_base_url(), l.token);
    static struct body bodies[RACERS];
    CURL *easy[RACERS];
    CURLM *multi = curl_multi_init();
    for (int i = 0; i < RACERS; i++) {
        easy[i] = curl_easy_init();
        curl_easy_setopt(easy[i], CURLOPT_URL, url);
        curl_easy_setopt(easy[i], CURLOPT_CUSTOMREQUEST, "POST");
        curl_easy_setopt(easy[i], CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, keep_start);
        curl_easy_setopt(easy[i], CURLOPT_WRITEDATA, &bodies[i]);
        curl_easy_setopt(easy[i], CURLOPT_TIMEOUT, 60L);
        curl_multi_add_handle(multi, easy[i]);
    }
    int running = 1;
    while (running) {
        cr_assert_eq(curl_multi_perform(multi, &running), CURLM_OK);
        if (running)
            curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    int won = 0, used = 0;
    for (int i = 0; i < RACERS; i++) {
        long status = 0;
        curl_easy_getinfo(easy[i], CURLINFO_RESPONSE_CODE, &status);
        if (status == 200)
            won++;
        else if (status == 409 && strstr(bodies[i].data, "\"invitation_already_used\""))
            used++;
        else
            cr_log_error("racer %d: %ld %s", i, status, bodies[i].data);
        curl_multi_remove_handle(multi, easy[i]);
        curl_easy_cleanup(easy[i]);
    }
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    cr_assert_eq(won, 1, "exactly one redemption must win, %d did", won);
    cr_assert_eq(used, RACERS - 1, "the others must see invitation_already_used (%d did)", used);

    const char *params[] = {l.team, u.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM memberships WHERE team_id = $1 AND user_id = $2",
                             2, params),
                 1);
    cr_assert_eq(members_of(l.team), 2);
    cr_assert_eq(testdb_long("SELECT count(*) FROM audit_events WHERE team_id = $1 "
                             "AND action = 'invitation.accepted'",
                             1, params),
                 1);
}

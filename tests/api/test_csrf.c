/* Cross-site request protection of cookie-authenticated unsafe requests. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/testdb.h"

#define FOREIGN_ORIGIN "Origin: https://evil.example"

static const char *const json_content[] = {"Content-Type: application/json", NULL};

/* A signed-in browser that will not add its own Origin header; copies the user id. */
static void browser(struct client *c, char *user_id, size_t size)
{
    client_init(c);
    snprintf(user_id, size, "%s", client_signup(c, NULL, 0));
    c->send_origin = false;
}

static long api_keys_of(const char *user_id)
{
    const char *p[] = {user_id};
    return testdb_long("SELECT count(*) FROM api_keys WHERE user_id = $1", 1, p);
}

static long stepped_up_sessions_of(const char *user_id)
{
    const char *p[] = {user_id};
    return testdb_long("SELECT count(*) FROM sessions WHERE user_id = $1 AND step_up_at IS NOT NULL",
                       1, p);
}

static struct reply *create_key(struct client *c, const char *header)
{
    const char *headers[] = {"Content-Type: application/json", header, NULL};
    return client_send(c, "POST", "/api/v1/me/api-keys", "{\"name\":\"csrf\"}", headers);
}

Test(csrf, foreign_origin_on_reauth_is_refused)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    const char *headers[] = {"Content-Type: application/json", FOREIGN_ORIGIN, NULL};
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/reauth",
                                  "{\"password\":\"" CLIENT_PASSWORD "\"}", headers);
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    cr_assert_eq(stepped_up_sessions_of(user_id), 0, "the step-up was opened anyway");
}

Test(csrf, foreign_origin_on_api_key_create_is_refused)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    struct reply *r = create_key(&c, FOREIGN_ORIGIN);
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    cr_assert_eq(api_keys_of(user_id), 0, "a key was created anyway");
}

Test(csrf, no_origin_and_no_fetch_metadata_is_refused)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    struct reply *r = create_key(&c, NULL);
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    cr_assert_eq(api_keys_of(user_id), 0, "a key was created anyway");
}

Test(csrf, no_origin_on_reauth_is_refused)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/reauth",
                                  "{\"password\":\"" CLIENT_PASSWORD "\"}", json_content);
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    cr_assert_eq(stepped_up_sessions_of(user_id), 0);
}

Test(csrf, sec_fetch_site_same_origin_without_origin_is_allowed)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    struct reply *r = create_key(&c, "Sec-Fetch-Site: same-origin");
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
    cr_assert_eq(api_keys_of(user_id), 1);
}

Test(csrf, sec_fetch_site_cross_site_without_origin_is_refused)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    struct reply *r = create_key(&c, "Sec-Fetch-Site: cross-site");
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    cr_assert_eq(api_keys_of(user_id), 0);
}

Test(csrf, sec_fetch_site_same_site_without_origin_is_refused)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    struct reply *r = create_key(&c, "Sec-Fetch-Site: same-site");
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    cr_assert_eq(api_keys_of(user_id), 0);
}

Test(csrf, foreign_origin_beats_sec_fetch_site_same_origin)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    const char *headers[] = {"Content-Type: application/json", FOREIGN_ORIGIN,
                             "Sec-Fetch-Site: same-origin", NULL};
    struct reply *r =
        client_send(&c, "POST", "/api/v1/me/api-keys", "{\"name\":\"csrf\"}", headers);
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    cr_assert_eq(api_keys_of(user_id), 0);
}

Test(csrf, foreign_origin_on_logout_keeps_the_session)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    const char *headers[] = {FOREIGN_ORIGIN, NULL};
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/logout", NULL, headers);
    reply_expect_problem(r, 403, "csrf_failed");
    reply_free(r);
    r = client_send(&c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "the session was ended by a cross-site request");
    reply_free(r);
}

Test(csrf, foreign_origin_on_login_is_refused)
{
    struct client owner;
    client_init(&owner);
    char email[128];
    client_signup(&owner, email, sizeof(email));
    struct client c;
    client_init(&c);
    c.send_origin = false;
    char body[256];
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", email,
             CLIENT_PASSWORD);
    const char *headers[] = {"Content-Type: application/json", FOREIGN_ORIGIN, NULL};
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/login", body, headers);
    reply_expect_problem(r, 403, "csrf_failed");
    cr_assert_str_empty(c.session, "a cross-site sign-in opened a session");
    reply_free(r);
}

Test(csrf, get_with_foreign_origin_is_allowed)
{
    struct client c;
    char user_id[64];
    browser(&c, user_id, sizeof(user_id));
    const char *headers[] = {FOREIGN_ORIGIN, NULL};
    struct reply *r = client_send(&c, "GET", "/api/v1/me", NULL, headers);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "user.id"), user_id);
    reply_free(r);
}

Test(csrf, same_origin_request_is_allowed)
{
    struct client c;
    char user_id[64];
    client_init(&c);
    snprintf(user_id, sizeof(user_id), "%s", client_signup(&c, NULL, 0));
    struct reply *r = client_json(&c, "POST", "/api/v1/me/api-keys", "{s:s}", "name", "ok");
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
    cr_assert_eq(api_keys_of(user_id), 1);
}

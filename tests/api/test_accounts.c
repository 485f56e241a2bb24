/* Sign-up, sign-in, sign-out and the session life cycle, through nginx. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/testdb.h"

Test(accounts, signup_login_me_logout_me)
{
    struct client c;
    client_init(&c);
    char email[128];
    const char *id = client_signup(&c, email, sizeof(email));
    char user_id[64];
    snprintf(user_id, sizeof(user_id), "%s", id);

    struct client fresh;
    client_init(&fresh);
    struct reply *r = client_json(&fresh, "POST", "/api/v1/auth/login", "{s:s, s:s}", "email",
                                  email, "password", CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "user"), "id")),
                     user_id);
    char *cookie = reply_header(r, "Set-Cookie");
    cr_assert(strstr(cookie, "HttpOnly") && strstr(cookie, "SameSite=Lax"), "%s", cookie);
    free(cookie);
    reply_free(r);

    r = client_send(&fresh, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "user"), "email")),
                     email);
    cr_assert(json_is_array(json_object_get(r->json, "teams")));
    cr_assert(json_is_false(json_object_get(r->json, "communicator")));
    reply_free(r);

    char saved[CLIENT_TOKEN_MAX];
    snprintf(saved, sizeof(saved), "%s", fresh.session);
    r = client_send(&fresh, "POST", "/api/v1/auth/logout", NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    cr_assert_str_empty(fresh.session, "logout must clear the cookie");
    reply_free(r);

    /* The old cookie is dead even if a client kept it. */
    snprintf(fresh.session, sizeof(fresh.session), "%s", saved);
    r = client_send(&fresh, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 401);
    cr_assert_str_eq(reply_code(r), "unauthenticated");
    reply_free(r);
}

/* Sign-in: credentials checks that reveal nothing, e-mail case, and no step-up. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"

static void expect_no_step_up(struct client *c)
{
    struct reply *r = client_send(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *step_up = json_object_get(r->json, "step_up_until");
    cr_assert(step_up && json_is_null(step_up), "step_up_until should be null: %s", r->body);
    reply_free(r);
}

Test(login, right_password_opens_a_session)
{
    struct client c;
    client_init(&c);
    char email[128], id[64];
    snprintf(id, sizeof(id), "%s", client_signup(&c, email, sizeof(email)));
    struct client fresh;
    client_init(&fresh);
    struct reply *r = client_login(&fresh, email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "user.id"), id);
    cr_assert_null(json_object_get(json_object_get(r->json, "user"), "password_hash"));
    cr_assert_str_not_empty(fresh.session, "no session cookie after sign-in");
    cr_assert_str_neq(fresh.session, c.session, "sign-in must open a new session");
    reply_free(r);
}

Test(login, wrong_password_is_401_invalid_credentials)
{
    struct client c;
    client_init(&c);
    char email[128];
    client_signup(&c, email, sizeof(email));
    struct client fresh;
    client_init(&fresh);
    struct reply *r = client_login(&fresh, email, "not the password");
    reply_expect_problem(r, 401, "invalid_credentials");
    cr_assert_null(reply_header(r, "Set-Cookie"), "no cookie on a failed sign-in");
    cr_assert_str_empty(fresh.session);
    reply_free(r);
}

Test(login, unknown_email_answers_like_wrong_password)
{
    struct client c;
    client_init(&c);
    char email[128], nobody[128];
    client_signup(&c, email, sizeof(email));
    client_unique_email(nobody, sizeof(nobody), "nobody");

    struct client a, b;
    client_init(&a);
    client_init(&b);
    struct reply *wrong = client_login(&a, email, "not the password");
    struct reply *unknown = client_login(&b, nobody, "not the password");
    reply_expect_problem(wrong, 401, "invalid_credentials");
    reply_expect_problem(unknown, 401, "invalid_credentials");
    static const char *const same[] = {"type", "title", "detail", "code"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        cr_assert_str_eq(reply_string(wrong, same[i]), reply_string(unknown, same[i]),
                         "%s differs", same[i]);
    cr_assert_eq(json_object_size(wrong->json), json_object_size(unknown->json));
    reply_free(wrong);
    reply_free(unknown);
}

Test(login, email_match_is_case_insensitive)
{
    struct client c;
    client_init(&c);
    char email[128], upper[128];
    client_signup(&c, email, sizeof(email));
    for (size_t i = 0; i <= strlen(email); i++)
        upper[i] = (char)toupper((unsigned char)email[i]);
    struct client fresh;
    client_init(&fresh);
    struct reply *r = client_login(&fresh, upper, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "user.email"), email);
    reply_free(r);
}

Test(login, password_is_case_sensitive)
{
    struct client c;
    client_init(&c);
    char email[128];
    client_signup(&c, email, sizeof(email));
    struct client fresh;
    client_init(&fresh);
    struct reply *r = client_login(&fresh, email, "CORRECT HORSE BATTERY");
    reply_expect_problem(r, 401, "invalid_credentials");
    reply_free(r);
}

Test(login, signup_opens_no_step_up)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    expect_no_step_up(&c);
}

Test(login, login_opens_no_step_up)
{
    struct client c;
    client_init(&c);
    char email[128];
    client_signup(&c, email, sizeof(email));
    struct client fresh;
    client_init(&fresh);
    struct reply *r = client_login(&fresh, email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    expect_no_step_up(&fresh);
}

Test(login, missing_password_is_422)
{
    struct client c;
    client_init(&c);
    struct reply *r = client_json(&c, "POST", "/api/v1/auth/login", "{s:s}", "email",
                                  "someone@example.test");
    reply_expect_problem(r, 422, "validation_failed");
    reply_free(r);
}

/* Step-up: POST /api/v1/auth/reauth re-checks the password for the current session. */
#include <criterion/criterion.h>
#include <string.h>

#include "support/client.h"
#include "support/testdb.h"

static struct reply *reauth(struct client *c, const char *password)
{
    return client_json(c, "POST", "/api/v1/auth/reauth", "{s:s}", "password", password);
}

/* The step_up_until that GET /me reports; json null when none is open (caller decrefs). */
static json_t *step_up_until(struct client *c)
{
    struct reply *r = client_send(c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *v = json_object_get(r->json, "step_up_until");
    cr_assert_not_null(v, "GET /me has no step_up_until: %s", r->body);
    json_incref(v);
    reply_free(r);
    return v;
}

Test(reauth, right_password_opens_a_ten_minute_step_up)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = reauth(&c, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 204, "%s", r->body);
    cr_assert_eq(r->body_len, 0);
    reply_free(r);

    json_t *until = step_up_until(&c);
    cr_assert(json_is_string(until), "step_up_until should be a time after reauth");
    const char *p[] = {json_string_value(until)};
    long left = testdb_long("SELECT round(extract(epoch FROM $1::timestamptz - now()))", 1, p);
    cr_assert(left > 540 && left <= 600, "step-up ends in %ld s, expected about 600", left);
    json_decref(until);
}

Test(reauth, wrong_password_is_403_invalid_password)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = reauth(&c, "not the password");
    reply_expect_problem(r, 403, "invalid_password");
    reply_free(r);
    json_t *until = step_up_until(&c);
    cr_assert(json_is_null(until), "a wrong password must not open a step-up");
    json_decref(until);
}

Test(reauth, wrong_password_keeps_the_session)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = reauth(&c, "not the password");
    reply_expect_problem(r, 403, "invalid_password");
    reply_free(r);
    r = client_send(&c, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(reauth, step_up_belongs_to_one_session)
{
    struct client c;
    client_init(&c);
    char email[128];
    client_signup(&c, email, sizeof(email));
    struct client other;
    client_init(&other);
    struct reply *r = client_login(&other, email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);

    r = reauth(&c, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    json_t *until = step_up_until(&other);
    cr_assert(json_is_null(until), "the other session must not be stepped up");
    json_decref(until);
}

Test(reauth, api_key_is_403_session_required)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct client integration;
    client_init(&integration);
    client_create_api_key(&c, "reauth", integration.bearer, sizeof(integration.bearer), NULL, 0);
    integration.send_origin = false;
    struct reply *r = reauth(&integration, CLIENT_PASSWORD);
    reply_expect_problem(r, 403, "session_required");
    reply_free(r);
}

Test(reauth, without_credentials_is_401)
{
    struct client c;
    client_init(&c);
    struct reply *r = reauth(&c, CLIENT_PASSWORD);
    reply_expect_problem(r, 401, "unauthenticated");
    reply_free(r);
}

Test(reauth, empty_password_is_422)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = reauth(&c, "");
    reply_expect_problem(r, 422, "validation_failed");
    reply_free(r);
}

/* Sign-up: the account it creates, duplicate e-mails and field validation. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/testdb.h"

static long users_with_email(const char *email)
{
    const char *p[] = {email};
    return testdb_long("SELECT count(*) FROM users WHERE email = lower($1)", 1, p);
}

/* A valid sign-up body for email; the test then breaks one field. Caller decrefs. */
static json_t *valid_body(const char *email)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "email", email, "password", CLIENT_PASSWORD,
                     "first_name", "Camille", "last_name", "Martin");
}

static struct reply *signup_body(json_t *body)
{
    struct client c;
    client_init(&c);
    char *text = json_dumps(body, JSON_COMPACT);
    static const char *const json_content[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/signup", text, json_content);
    free(text);
    return r;
}

static char *repeat(char ch, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, ch, n);
    s[n] = '\0';
    return s;
}

/* Sends body (taking it), expects 422 naming field with code, and no user for email. */
static void expect_invalid(json_t *body, const char *email, const char *field, const char *code)
{
    struct reply *r = signup_body(body);
    json_decref(body);
    reply_expect_problem(r, 422, "validation_failed");
    json_t *errors = json_object_get(r->json, "errors");
    cr_assert(json_is_array(errors) && json_array_size(errors) > 0, "%s", r->body);
    bool named = false;
    size_t i;
    json_t *e;
    json_array_foreach (errors, i, e)
        named = named || (strcmp(json_string_value(json_object_get(e, "field")), field) == 0 &&
                          strcmp(json_string_value(json_object_get(e, "code")), code) == 0);
    cr_assert(named, "no error {field: %s, code: %s} in %s", field, code, r->body);
    cr_assert_eq(users_with_email(email), 0, "a user was written despite the 422");
    reply_free(r);
}

Test(signup, creates_user_without_password_hash)
{
    char email[128];
    client_unique_email(email, sizeof(email), "signup");
    struct reply *r = signup_body(valid_body(email));
    cr_assert_eq(r->status, 201, "%s", r->body);
    json_t *user = json_object_get(r->json, "user");
    cr_assert(json_is_object(user), "%s", r->body);
    cr_assert_str_eq(reply_string(r, "user.email"), email);
    cr_assert_str_eq(reply_string(r, "user.first_name"), "Camille");
    cr_assert_str_eq(reply_string(r, "user.last_name"), "Martin");
    cr_assert(reply_string(r, "user.id") && reply_string(r, "user.created_at"), "%s", r->body);
    cr_assert_null(json_object_get(user, "password_hash"), "%s", r->body);
    cr_assert_null(json_object_get(user, "password"), "%s", r->body);
    cr_assert_null(strstr(r->body, "argon2"), "a password hash leaked: %s", r->body);
    cr_assert_eq(users_with_email(email), 1);
    reply_free(r);
}

Test(signup, lower_cases_the_email)
{
    char email[128], upper[128];
    client_unique_email(email, sizeof(email), "Mixed.Case");
    for (size_t i = 0; i <= strlen(email); i++)
        upper[i] = (char)toupper((unsigned char)email[i]);
    struct reply *r = signup_body(valid_body(upper));
    cr_assert_eq(r->status, 201, "%s", r->body);
    for (char *p = email; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    cr_assert_str_eq(reply_string(r, "user.email"), email);
    const char *p[] = {email};
    cr_assert_eq(testdb_long("SELECT count(*) FROM users WHERE email = $1", 1, p), 1);
    reply_free(r);
}

Test(signup, duplicate_email_in_any_case_is_409_email_taken)
{
    struct client c;
    client_init(&c);
    char email[128], upper[128];
    client_signup(&c, email, sizeof(email));
    for (size_t i = 0; i <= strlen(email); i++)
        upper[i] = (char)toupper((unsigned char)email[i]);
    struct reply *r = signup_body(valid_body(upper));
    reply_expect_problem(r, 409, "email_taken");
    cr_assert_null(reply_header(r, "Set-Cookie"), "no session for a refused sign-up");
    cr_assert_eq(users_with_email(email), 1, "a second row was written");
    reply_free(r);
}

Test(signup, password_of_exactly_8_characters_is_accepted)
{
    char email[128];
    client_unique_email(email, sizeof(email), "pw8");
    json_t *body = valid_body(email);
    json_object_set_new(body, "password", json_string("12345678"));
    struct reply *r = signup_body(body);
    json_decref(body);
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
    struct client c;
    client_init(&c);
    r = client_login(&c, email, "12345678");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(signup, names_of_100_characters_are_accepted)
{
    char email[128];
    client_unique_email(email, sizeof(email), "name100");
    json_t *body = valid_body(email);
    char *name = repeat('n', 100);
    json_object_set_new(body, "first_name", json_string(name));
    json_object_set_new(body, "last_name", json_string(name));
    struct reply *r = signup_body(body);
    json_decref(body);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "user.first_name"), name);
    free(name);
    reply_free(r);
}

Test(signup, invalid_email_is_422)
{
    expect_invalid(valid_body("not-an-email"), "not-an-email", "email", "invalid_format");
}

Test(signup, email_without_domain_dot_is_422)
{
    expect_invalid(valid_body("someone@localhost"), "someone@localhost", "email",
                   "invalid_format");
}

Test(signup, password_of_7_characters_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "pw7");
    json_t *body = valid_body(email);
    json_object_set_new(body, "password", json_string("1234567"));
    expect_invalid(body, email, "password", "too_short");
}

Test(signup, password_over_1024_characters_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "pwlong");
    json_t *body = valid_body(email);
    char *pw = repeat('p', 1025);
    json_object_set_new(body, "password", json_string(pw));
    free(pw);
    expect_invalid(body, email, "password", "too_long");
}

Test(signup, empty_first_name_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "empty");
    json_t *body = valid_body(email);
    json_object_set_new(body, "first_name", json_string(""));
    expect_invalid(body, email, "first_name", "required");
}

Test(signup, missing_last_name_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "missing");
    json_t *body = valid_body(email);
    json_object_del(body, "last_name");
    expect_invalid(body, email, "last_name", "required");
}

Test(signup, first_name_over_100_characters_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "long1");
    json_t *body = valid_body(email);
    char *name = repeat('n', 101);
    json_object_set_new(body, "first_name", json_string(name));
    free(name);
    expect_invalid(body, email, "first_name", "too_long");
}

Test(signup, last_name_over_100_characters_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "long2");
    json_t *body = valid_body(email);
    char *name = repeat('n', 101);
    json_object_set_new(body, "last_name", json_string(name));
    free(name);
    expect_invalid(body, email, "last_name", "too_long");
}

Test(signup, unknown_field_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "unknown");
    json_t *body = valid_body(email);
    json_object_set_new(body, "is_admin", json_true());
    expect_invalid(body, email, "is_admin", "unknown_field");
}

Test(signup, email_of_wrong_type_is_422)
{
    json_t *body = valid_body("x");
    json_object_set_new(body, "email", json_integer(42));
    expect_invalid(body, "42", "email", "wrong_type");
}

Test(signup, password_of_wrong_type_is_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "type");
    json_t *body = valid_body(email);
    json_object_set_new(body, "password", json_pack("[s]", CLIENT_PASSWORD));
    expect_invalid(body, email, "password", "wrong_type");
}

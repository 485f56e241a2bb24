/* Requests the central checks refuse: bad JSON, media types, sizes, routes and methods. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"

#define APP_BODY_MAX (256 * 1024)         /* PLI_JSON_BODY_MAX default */
#define NGINX_BODY_MAX (64L * 1024 * 1024) /* client_max_body_size */

static const char *const json_content[] = {"Content-Type: application/json", NULL};

/* POSTs a raw body to the sign-in endpoint with the given headers (none when NULL). */
static struct reply *post_login(const char *body, const char *const *headers)
{
    struct client c;
    client_init(&c);
    return client_send(&c, "POST", "/api/v1/auth/login", body, headers ? headers : json_content);
}

static struct reply *request(const char *method, const char *path)
{
    struct client c;
    client_init(&c);
    return client_send(&c, method, path, NULL, NULL);
}

/* A JSON sign-in body of about size bytes (a long password). Caller frees. */
static char *big_login_body(size_t size)
{
    static const char head[] = "{\"email\":\"big@example.test\",\"password\":\"";
    char *s = malloc(size + 1);
    cr_assert_not_null(s);
    memcpy(s, head, strlen(head));
    memset(s + strlen(head), 'x', size - strlen(head) - 2);
    memcpy(s + size - 2, "\"}", 3);
    return s;
}

Test(bad_input, malformed_json_is_400)
{
    struct reply *r = post_login("{\"email\": \"a@b.cd\", \"password\": ", NULL);
    reply_expect_problem(r, 400, "malformed_json");
    reply_free(r);
}

Test(bad_input, duplicate_keys_are_400)
{
    struct reply *r = post_login("{\"email\":\"a@b.cd\",\"password\":\"x\",\"password\":\"y\"}",
                                 NULL);
    reply_expect_problem(r, 400, "malformed_json");
    reply_free(r);
}

Test(bad_input, empty_body_where_one_is_required_is_400)
{
    struct reply *r = post_login(NULL, json_content);
    reply_expect_problem(r, 400, "malformed_json");
    reply_free(r);
}

Test(bad_input, json_array_body_is_422)
{
    struct reply *r = post_login("[\"a@b.cd\", \"password\"]", NULL);
    reply_expect_problem(r, 422, "validation_failed");
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), "wrong_type", "%s", r->body);
    reply_free(r);
}

Test(bad_input, json_string_body_is_422)
{
    struct reply *r = post_login("\"a@b.cd\"", NULL);
    reply_expect_problem(r, 422, "validation_failed");
    reply_free(r);
}

Test(bad_input, text_plain_body_is_415)
{
    static const char *const plain[] = {"Content-Type: text/plain", NULL};
    struct reply *r = post_login("{\"email\":\"a@b.cd\",\"password\":\"x\"}", plain);
    reply_expect_problem(r, 415, "unsupported_media_type");
    reply_free(r);
}

Test(bad_input, form_urlencoded_body_is_415)
{
    static const char *const form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct reply *r = post_login("email=a%40b.cd&password=x", form);
    reply_expect_problem(r, 415, "unsupported_media_type");
    reply_free(r);
}

Test(bad_input, json_with_charset_parameter_is_accepted)
{
    static const char *const charset[] = {"Content-Type: application/json; charset=utf-8", NULL};
    struct reply *r = post_login("{\"email\":\"nobody@example.test\",\"password\":\"x\"}", charset);
    reply_expect_problem(r, 401, "invalid_credentials");
    reply_free(r);
}

Test(bad_input, body_over_the_app_cap_is_413_from_the_app)
{
    char *body = big_login_body(APP_BODY_MAX + 1024);
    struct reply *r = post_login(body, NULL);
    free(body);
    reply_expect_problem(r, 413, "payload_too_large");
    const char *detail = reply_string(r, "detail");
    cr_assert(detail && strstr(detail, "262144"), "not the app's answer: %s", r->body);
    reply_free(r);
}

Test(bad_input, body_at_the_app_cap_is_read)
{
    char *body = big_login_body(APP_BODY_MAX);
    struct reply *r = post_login(body, NULL);
    free(body);
    reply_expect_problem(r, 422, "validation_failed"); /* the password is too long */
    reply_free(r);
}

Test(bad_input, body_over_the_nginx_cap_is_413_problem)
{
    char *body = big_login_body(NGINX_BODY_MAX + 1024 * 1024);
    struct reply *r = post_login(body, NULL);
    free(body);
    reply_expect_problem(r, 413, "payload_too_large");
    reply_free(r);
}

Test(bad_input, unknown_api_route_is_404)
{
    struct reply *r = request("GET", "/api/v1/nothing-here");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(bad_input, path_outside_the_api_is_404_problem)
{
    struct reply *r = request("GET", "/index.php");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(bad_input, trailing_slash_is_404)
{
    struct reply *r = request("GET", "/api/v1/health/");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(bad_input, wrong_method_is_405_with_allow)
{
    struct reply *r = request("PUT", "/api/v1/me/api-keys");
    reply_expect_problem(r, 405, "method_not_allowed");
    char *allow = reply_header(r, "Allow");
    cr_assert_not_null(allow, "405 without Allow:\n%s", r->headers);
    cr_assert_str_eq(allow, "GET, POST");
    free(allow);
    reply_free(r);
}

Test(bad_input, get_on_a_post_only_route_is_405)
{
    struct reply *r = request("GET", "/api/v1/auth/login");
    reply_expect_problem(r, 405, "method_not_allowed");
    char *allow = reply_header(r, "Allow");
    cr_assert(allow && strcmp(allow, "POST") == 0, "Allow: %s", allow ? allow : "(none)");
    free(allow);
    reply_free(r);
}

Test(bad_input, missing_session_on_me_is_401)
{
    struct reply *r = request("GET", "/api/v1/me");
    reply_expect_problem(r, 401, "unauthenticated");
    reply_free(r);
}

Test(bad_input, control_characters_in_a_name_are_422)
{
    char email[128];
    client_unique_email(email, sizeof(email), "ctl");
    struct client c;
    client_init(&c);
    struct reply *r = client_json(&c, "POST", "/api/v1/auth/signup", "{s:s, s:s, s:s, s:s}",
                                  "email", email, "password", CLIENT_PASSWORD, "first_name",
                                  "Bad\nName", "last_name", "Martin");
    reply_expect_problem(r, 422, "validation_failed");
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "field")), "first_name", "%s", r->body);
    reply_free(r);
}

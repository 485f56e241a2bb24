/* Session cookies: attributes, idle and absolute expiry, bad cookies, sign-out. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "support/client.h"
#include "support/testdb.h"

static long me_status(struct client *c, char *code, size_t code_size)
{
    struct reply *r = client_send(c, "GET", "/api/v1/me", NULL, NULL);
    long status = r->status;
    if (code)
        snprintf(code, code_size, "%s", reply_code(r));
    if (status != 200)
        reply_expect_problem(r, status, reply_code(r));
    reply_free(r);
    return status;
}

static void expect_me_unauthenticated(struct client *c)
{
    char code[64];
    cr_assert_eq(me_status(c, code, sizeof(code)), 401);
    cr_assert_str_eq(code, "unauthenticated");
}

static void age_sessions(const char *user_id, const char *set_clause)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "UPDATE sessions SET %s WHERE user_id = $1", set_clause);
    const char *p[] = {user_id};
    PQclear(testdb_exec(sql, 1, p));
}

/* The attribute of a Set-Cookie value named name ("HttpOnly", "Path"), with its value after '='
 * copied into value ("" for a flag); false when absent. */
static bool cookie_attribute(const char *cookie, const char *name, char *value, size_t size)
{
    size_t n = strlen(name);
    for (const char *p = strchr(cookie, ';'); p; p = strchr(p + 1, ';')) {
        const char *a = p + 1;
        while (*a == ' ')
            a++;
        if (strncasecmp(a, name, n) == 0 && (a[n] == ';' || a[n] == '\0' || a[n] == '=')) {
            size_t len = a[n] == '=' ? strcspn(a + n + 1, ";") : 0;
            snprintf(value, size, "%.*s", (int)len, a[n] == '=' ? a + n + 1 : "");
            return true;
        }
    }
    return false;
}

/* Signs up a new user on c and copies the user id. */
static void signup(struct client *c, char *user_id, size_t size)
{
    client_init(c);
    snprintf(user_id, size, "%s", client_signup(c, NULL, 0));
}

Test(sessions, login_cookie_has_the_safe_attributes)
{
    struct client owner;
    client_init(&owner);
    char email[128];
    client_signup(&owner, email, sizeof(email));
    struct client c;
    client_init(&c);
    struct reply *r = client_login(&c, email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    char *cookie = reply_header(r, "Set-Cookie");
    cr_assert_not_null(cookie, "no Set-Cookie on sign-in");
    cr_assert_eq(strncmp(cookie, "pli_session=", 12), 0, "%s", cookie);
    cr_assert_eq(strcspn(cookie + 12, ";"), 43, "token length in %s", cookie);
    char v[64];
    cr_assert(cookie_attribute(cookie, "HttpOnly", v, sizeof(v)), "%s", cookie);
    cr_assert(cookie_attribute(cookie, "SameSite", v, sizeof(v)) && strcmp(v, "Lax") == 0,
              "%s", cookie);
    cr_assert(cookie_attribute(cookie, "Path", v, sizeof(v)) && strcmp(v, "/") == 0, "%s",
              cookie);
    cr_assert(cookie_attribute(cookie, "Max-Age", v, sizeof(v)) && strtol(v, NULL, 10) > 0,
              "%s", cookie);
    cr_assert_not(cookie_attribute(cookie, "Secure", v, sizeof(v)),
                  "no Secure over plain http: %s", cookie);
    free(cookie);
    reply_free(r);
}

Test(sessions, signup_cookie_has_the_safe_attributes)
{
    struct client c;
    client_init(&c);
    char email[128];
    client_unique_email(email, sizeof(email), "cookie");
    struct reply *r = client_json(&c, "POST", "/api/v1/auth/signup", "{s:s, s:s, s:s, s:s}",
                                  "email", email, "password", CLIENT_PASSWORD, "first_name", "A",
                                  "last_name", "B");
    cr_assert_eq(r->status, 201, "%s", r->body);
    char *cookie = reply_header(r, "Set-Cookie");
    cr_assert_not_null(cookie);
    cr_assert(strstr(cookie, "HttpOnly") && strstr(cookie, "SameSite=Lax") &&
                  strstr(cookie, "Path=/") && strstr(cookie, "Max-Age="),
              "%s", cookie);
    cr_assert_null(strstr(cookie, "Secure"), "%s", cookie);
    free(cookie);
    reply_free(r);
}

Test(sessions, token_is_stored_hashed)
{
    struct client c;
    char user_id[64];
    signup(&c, user_id, sizeof(user_id));
    const char *p[] = {c.session, user_id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM sessions WHERE user_id = $1", 1, p + 1), 1);
    cr_assert_eq(testdb_long("SELECT count(*) FROM sessions WHERE token_hash = $1", 1, p), 0,
                 "the raw session token is in the database");
}

Test(sessions, recent_activity_keeps_the_session)
{
    struct client c;
    char user_id[64];
    signup(&c, user_id, sizeof(user_id));
    age_sessions(user_id, "last_seen_at = now() - interval '1 hour'");
    cr_assert_eq(me_status(&c, NULL, 0), 200);
}

Test(sessions, idle_session_expires)
{
    struct client c;
    char user_id[64];
    signup(&c, user_id, sizeof(user_id));
    age_sessions(user_id, "last_seen_at = now() - interval '3 hours'");
    expect_me_unauthenticated(&c);
}

Test(sessions, session_past_its_absolute_lifetime_expires)
{
    struct client c;
    char user_id[64];
    signup(&c, user_id, sizeof(user_id));
    age_sessions(user_id, "expires_at = now() - interval '1 second'");
    expect_me_unauthenticated(&c);
}

Test(sessions, activity_does_not_extend_the_absolute_lifetime)
{
    struct client c;
    char user_id[64];
    signup(&c, user_id, sizeof(user_id));
    const char *p[] = {user_id};
    long before = testdb_long("SELECT extract(epoch FROM expires_at)::bigint FROM sessions "
                              "WHERE user_id = $1", 1, p);
    cr_assert_eq(me_status(&c, NULL, 0), 200);
    long after = testdb_long("SELECT extract(epoch FROM expires_at)::bigint FROM sessions "
                             "WHERE user_id = $1", 1, p);
    cr_assert_eq(before, after);
}

Test(sessions, garbage_cookie_is_401)
{
    struct client c;
    client_init(&c);
    snprintf(c.session, sizeof(c.session), "%s", "garbage");
    expect_me_unauthenticated(&c);
}

Test(sessions, unknown_token_of_the_right_shape_is_401)
{
    struct client c;
    client_init(&c);
    snprintf(c.session, sizeof(c.session), "%s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect_me_unauthenticated(&c);
}

Test(sessions, logout_clears_the_cookie)
{
    struct client c;
    char user_id[64];
    signup(&c, user_id, sizeof(user_id));
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/logout", NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    char *cookie = reply_header(r, "Set-Cookie");
    cr_assert(cookie && strncmp(cookie, "pli_session=;", 13) == 0 && strstr(cookie, "Max-Age=0"),
              "%s", cookie ? cookie : "(no Set-Cookie)");
    free(cookie);
    reply_free(r);
}

Test(sessions, logout_revokes_only_that_session)
{
    struct client first;
    client_init(&first);
    char email[128];
    client_signup(&first, email, sizeof(email));
    struct client second;
    client_init(&second);
    struct reply *r = client_login(&second, email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);

    char kept[CLIENT_TOKEN_MAX];
    snprintf(kept, sizeof(kept), "%s", first.session);
    r = client_send(&first, "POST", "/api/v1/auth/logout", NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    snprintf(first.session, sizeof(first.session), "%s", kept);
    expect_me_unauthenticated(&first);
    cr_assert_eq(me_status(&second, NULL, 0), 200, "the other session must survive");
}

Test(sessions, logout_without_a_session_is_401)
{
    struct client c;
    client_init(&c);
    struct reply *r = client_send(&c, "POST", "/api/v1/auth/logout", NULL, NULL);
    reply_expect_problem(r, 401, "unauthenticated");
    reply_free(r);
}

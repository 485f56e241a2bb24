/* Sign-in lockout per e-mail after PLI_LOGIN_MAX_FAILURES (default 5) failures. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"

#define MAX_FAILURES 5
#define LOCK_SECONDS 900 /* PLI_LOGIN_LOCK_SECONDS default */

/* n failed sign-ins for email, each expected to be a plain 401. */
static void fail_logins(const char *email, int n)
{
    for (int i = 0; i < n; i++) {
        struct client c;
        client_init(&c);
        struct reply *r = client_login(&c, email, "not the password");
        reply_expect_problem(r, 401, "invalid_credentials");
        reply_free(r);
    }
}

/* Fails unless r is the lockout answer with a sensible Retry-After. */
static void expect_locked(const struct reply *r)
{
    reply_expect_problem(r, 429, "too_many_attempts");
    char *retry = reply_header(r, "Retry-After");
    cr_assert(retry, "429 without Retry-After:\n%s", r->headers);
    char *end;
    long seconds = strtol(retry, &end, 10);
    cr_assert(*retry && *end == '\0', "Retry-After is not a number of seconds: %s", retry);
    cr_assert(seconds >= 1 && seconds <= LOCK_SECONDS, "Retry-After %ld", seconds);
    free(retry);
}

static struct reply *login(const char *email, const char *password)
{
    struct client c;
    client_init(&c);
    return client_login(&c, email, password);
}

Test(login_lockout, right_password_is_refused_after_max_failures)
{
    struct client owner;
    client_init(&owner);
    char email[128];
    client_signup(&owner, email, sizeof(email));
    fail_logins(email, MAX_FAILURES);
    struct client c;
    client_init(&c);
    struct reply *r = client_login(&c, email, CLIENT_PASSWORD);
    expect_locked(r);
    cr_assert_str_empty(c.session, "a locked sign-in must not open a session");
    reply_free(r);
}

Test(login_lockout, fewer_failures_than_the_limit_do_not_lock)
{
    struct client owner;
    client_init(&owner);
    char email[128];
    client_signup(&owner, email, sizeof(email));
    fail_logins(email, MAX_FAILURES - 1);
    struct reply *r = login(email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(login_lockout, email_case_does_not_escape_the_lock)
{
    struct client owner;
    client_init(&owner);
    char email[128], upper[128];
    client_signup(&owner, email, sizeof(email));
    fail_logins(email, MAX_FAILURES);
    snprintf(upper, sizeof(upper), "%s", email);
    upper[0] = (char)(upper[0] - 'a' + 'A');
    struct reply *r = login(upper, CLIENT_PASSWORD);
    expect_locked(r);
    reply_free(r);
}

Test(login_lockout, unknown_email_is_locked_the_same_way)
{
    char nobody[128];
    client_unique_email(nobody, sizeof(nobody), "ghost");
    fail_logins(nobody, MAX_FAILURES);
    struct reply *r = login(nobody, CLIENT_PASSWORD);
    expect_locked(r);
    reply_free(r);
}

Test(login_lockout, lock_answer_is_identical_for_known_and_unknown_email)
{
    struct client owner;
    client_init(&owner);
    char email[128], nobody[128];
    client_signup(&owner, email, sizeof(email));
    client_unique_email(nobody, sizeof(nobody), "ghost");
    fail_logins(email, MAX_FAILURES);
    fail_logins(nobody, MAX_FAILURES);
    struct reply *known = login(email, "not the password");
    struct reply *unknown = login(nobody, "not the password");
    expect_locked(known);
    expect_locked(unknown);
    static const char *const same[] = {"type", "title", "detail", "code"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        cr_assert_str_eq(reply_string(known, same[i]), reply_string(unknown, same[i]),
                         "%s differs", same[i]);
    reply_free(known);
    reply_free(unknown);
}

Test(login_lockout, success_before_the_limit_resets_the_count)
{
    struct client owner;
    client_init(&owner);
    char email[128];
    client_signup(&owner, email, sizeof(email));
    fail_logins(email, MAX_FAILURES - 1);
    struct reply *r = login(email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    /* Without the reset, the first failure below would be the fifth and lock the e-mail. */
    fail_logins(email, MAX_FAILURES - 1);
    r = login(email, CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "the count was not reset: %s", r->body);
    reply_free(r);
}

/* The operator's command line against the live database: migrate, keygen, public-keys,
 * create-user. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "support/client.h"
#include "support/testdb.h"

/* Runs build/pli with arguments (shell-quoted by the caller); returns the exit status and
 * the output in out (truncated to out_size). */
static int run_pli(const char *args, const char *env, char *out, size_t out_size)
{
    const char *dir = getenv("PLI_TEST_BUILD_DIR");
    cr_assert_not_null(dir, "PLI_TEST_BUILD_DIR is not set");
    char command[2048];
    snprintf(command, sizeof(command), "%s '%s/pli' %s 2>&1", env ? env : "", dir, args);
    FILE *p = popen(command, "r");
    cr_assert_not_null(p);
    size_t len = fread(out, 1, out_size - 1, p);
    out[len] = '\0';
    while (fgetc(p) != EOF)
        ;
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(cli, migrate_twice_is_a_no_op)
{
    char out[512];
    long before = testdb_long("SELECT count(*) FROM schema_migrations", 0, NULL);
    cr_assert_eq(run_pli("migrate", NULL, out, sizeof(out)), 0, "%s", out);
    cr_assert(strncmp(out, "0 migration(s) applied", 22) == 0, "unexpected: %s", out);
    cr_assert_eq(testdb_long("SELECT count(*) FROM schema_migrations", 0, NULL), before);
}

Test(cli, keygen_keeps_the_existing_key)
{
    char out[512];
    cr_assert_eq(run_pli("keygen", NULL, out, sizeof(out)), 0, "%s", out);
    cr_assert(strncmp(out, "kept signing key ", 17) == 0, "%s", out);
    struct client c;
    client_init(&c);
    struct reply *r = client_send(&c, "GET", "/api/v1/keys", NULL, NULL);
    const char *id = json_string_value(json_object_get(json_array_get(json_object_get(r->json,
                                                                                      "keys"),
                                                                      0),
                                                       "id"));
    cr_assert(id && strstr(out, id), "keygen printed %s, the API publishes %s", out, id);
    reply_free(r);
}

Test(cli, public_keys_prints_what_the_api_publishes)
{
    char out[4096];
    cr_assert_eq(run_pli("public-keys", NULL, out, sizeof(out)), 0, "%s", out);
    json_t *printed = json_loads(out, 0, NULL);
    cr_assert_not_null(printed, "not JSON: %s", out);
    struct client c;
    client_init(&c);
    struct reply *r = client_send(&c, "GET", "/api/v1/keys", NULL, NULL);
    cr_assert_eq(r->status, 200);
    cr_assert(json_equal(printed, r->json), "printed %s, the API publishes %s", out, r->body);
    reply_free(r);
    json_decref(printed);
}

Test(cli, public_keys_fails_without_a_signing_key)
{
    char out[512];
    cr_assert_eq(run_pli("public-keys", "PLI_SIGNING_KEY=/nonexistent/signing.key", out,
                         sizeof(out)),
                 1, "%s", out);
    cr_assert(strstr(out, "/nonexistent/signing.key"), "%s", out);
}

Test(cli, create_user_then_sign_in)
{
    char email[128], args[512], out[512];
    client_unique_email(email, sizeof(email), "Cli");
    snprintf(args, sizeof(args), "create-user --email '%s' --first-name Jeanne --last-name Roux",
             email);
    cr_assert_eq(run_pli(args, "PLI_PASSWORD='operator pass 1'", out, sizeof(out)), 0, "%s", out);
    struct client c;
    client_init(&c);
    struct reply *r = client_json(&c, "POST", "/api/v1/auth/login", "{s:s, s:s}", "email", email,
                                  "password", "operator pass 1");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(cli, create_user_refuses_a_taken_email_and_a_short_password)
{
    char email[128], args[512], out[512];
    struct client c;
    client_init(&c);
    client_signup(&c, email, sizeof(email));
    snprintf(args, sizeof(args), "create-user --email '%s' --first-name A --last-name B", email);
    cr_assert_eq(run_pli(args, "PLI_PASSWORD='long enough pass'", out, sizeof(out)), 1, "%s", out);
    cr_assert(strstr(out, "already"), "%s", out);

    client_unique_email(email, sizeof(email), "short");
    snprintf(args, sizeof(args), "create-user --email '%s' --first-name A --last-name B", email);
    cr_assert_eq(run_pli(args, "PLI_PASSWORD=short", out, sizeof(out)), 1, "%s", out);
    const char *params[] = {email};
    cr_assert_eq(testdb_long("SELECT count(*) FROM users WHERE email = lower($1)", 1, params), 0);
}

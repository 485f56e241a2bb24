/* Personal API keys: created with a session, used as Bearer tokens, revocable. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/testdb.h"

#define BASE64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* A signed-in owner and an integration client holding one of the owner's keys. */
struct keyed {
    struct client owner;
    struct client integration;
    char user_id[64];
    char key_id[64];
};

static void keyed_setup(struct keyed *k)
{
    client_init(&k->owner);
    snprintf(k->user_id, sizeof(k->user_id), "%s", client_signup(&k->owner, NULL, 0));
    client_init(&k->integration);
    k->integration.send_origin = false; /* a server-side integration sends no Origin */
    client_create_api_key(&k->owner, "integration", k->integration.bearer,
                          sizeof(k->integration.bearer), k->key_id, sizeof(k->key_id));
}

static long live_keys(const char *user_id)
{
    const char *p[] = {user_id};
    return testdb_long("SELECT count(*) FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL",
                       1, p);
}

static struct reply *delete_key(struct client *c, const char *id)
{
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/me/api-keys/%s", id);
    return client_send(c, "DELETE", path, NULL, NULL);
}

static long me_status(struct client *c)
{
    struct reply *r = client_send(c, "GET", "/api/v1/me", NULL, NULL);
    long status = r->status;
    if (status != 200)
        reply_expect_problem(r, 401, "unauthenticated");
    reply_free(r);
    return status;
}

Test(api_keys, create_returns_the_token_once)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = client_json(&c, "POST", "/api/v1/me/api-keys", "{s:s}", "name", "CI");
    cr_assert_eq(r->status, 201, "%s", r->body);
    const char *token = reply_string(r, "token");
    cr_assert(token, "%s", r->body);
    cr_assert_eq(strncmp(token, "pli_", 4), 0, "token %s", token);
    cr_assert_eq(strlen(token), 4 + 43, "token %s", token);
    cr_assert_eq(strspn(token + 4, BASE64URL), 43, "token %s is not base64url", token);
    cr_assert_str_eq(reply_string(r, "name"), "CI");
    char id[64];
    snprintf(id, sizeof(id), "%s", reply_string(r, "id"));
    reply_free(r);

    r = client_send(&c, "GET", "/api/v1/me/api-keys", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    json_t *item = json_array_get(items, 0);
    cr_assert_str_eq(json_string_value(json_object_get(item, "id")), id);
    cr_assert_null(json_object_get(item, "token"), "the list shows the token: %s", r->body);
    cr_assert_null(strstr(r->body, "pli_"), "the list shows a token: %s", r->body);
    reply_free(r);
}

Test(api_keys, create_without_body_uses_the_default_name)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = client_send(&c, "POST", "/api/v1/me/api-keys", NULL, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "name"), "API key");
    reply_free(r);
}

Test(api_keys, bearer_authenticates_get_me)
{
    struct keyed k;
    keyed_setup(&k);
    struct reply *r = client_send(&k.integration, "GET", "/api/v1/me", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "user.id"), k.user_id);
    reply_free(r);
}

Test(api_keys, bearer_lists_keys_and_marks_use)
{
    struct keyed k;
    keyed_setup(&k);
    struct reply *r = client_send(&k.integration, "GET", "/api/v1/me/api-keys", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *item = json_array_get(json_object_get(r->json, "items"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(item, "id")), k.key_id, "%s", r->body);
    cr_assert(json_is_string(json_object_get(item, "last_used_at")), "%s", r->body);
    reply_free(r);
}

Test(api_keys, bearer_unsafe_request_needs_no_origin)
{
    struct keyed k;
    keyed_setup(&k);
    struct reply *r = delete_key(&k.integration, k.key_id);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cr_assert_eq(live_keys(k.user_id), 0);
}

Test(api_keys, create_with_an_api_key_is_403_session_required)
{
    struct keyed k;
    keyed_setup(&k);
    struct reply *r = client_json(&k.integration, "POST", "/api/v1/me/api-keys", "{s:s}", "name",
                                  "second");
    reply_expect_problem(r, 403, "session_required");
    reply_free(r);
    cr_assert_eq(live_keys(k.user_id), 1, "a key was created");
}

Test(api_keys, empty_name_is_422)
{
    struct client c;
    client_init(&c);
    char user_id[64];
    snprintf(user_id, sizeof(user_id), "%s", client_signup(&c, NULL, 0));
    struct reply *r = client_json(&c, "POST", "/api/v1/me/api-keys", "{s:s}", "name", "");
    reply_expect_problem(r, 422, "validation_failed");
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "field")), "name", "%s", r->body);
    reply_free(r);
    cr_assert_eq(live_keys(user_id), 0);
}

Test(api_keys, name_over_100_characters_is_422)
{
    struct client c;
    client_init(&c);
    char user_id[64], name[102];
    snprintf(user_id, sizeof(user_id), "%s", client_signup(&c, NULL, 0));
    memset(name, 'k', 101);
    name[101] = '\0';
    struct reply *r = client_json(&c, "POST", "/api/v1/me/api-keys", "{s:s}", "name", name);
    reply_expect_problem(r, 422, "validation_failed");
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "field")), "name", "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), "too_long", "%s", r->body);
    reply_free(r);
    cr_assert_eq(live_keys(user_id), 0);
}

Test(api_keys, deleted_key_no_longer_authenticates)
{
    struct keyed k;
    keyed_setup(&k);
    cr_assert_eq(me_status(&k.integration), 200);
    struct reply *r = delete_key(&k.owner, k.key_id);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cr_assert_eq(me_status(&k.integration), 401);
}

Test(api_keys, deleted_key_leaves_the_list)
{
    struct keyed k;
    keyed_setup(&k);
    struct reply *r = delete_key(&k.owner, k.key_id);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    r = client_send(&k.owner, "GET", "/api/v1/me/api-keys", NULL, NULL);
    cr_assert_eq(r->status, 200);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
}

Test(api_keys, deleting_another_users_key_is_404)
{
    struct keyed victim;
    keyed_setup(&victim);
    struct client other;
    client_init(&other);
    client_signup(&other, NULL, 0);
    struct reply *r = delete_key(&other, victim.key_id);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    cr_assert_eq(me_status(&victim.integration), 200, "the victim's key must still work");
}

Test(api_keys, deleting_an_unknown_uuid_is_404)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = delete_key(&c, "6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e5f");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(api_keys, deleting_twice_is_404)
{
    struct keyed k;
    keyed_setup(&k);
    struct reply *r = delete_key(&k.owner, k.key_id);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    r = delete_key(&k.owner, k.key_id);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(api_keys, non_uuid_id_is_404)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = delete_key(&c, "not-a-uuid");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(api_keys, unknown_token_is_401)
{
    struct client c;
    client_init(&c);
    snprintf(c.bearer, sizeof(c.bearer), "%s", "pli_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    struct reply *r = client_send(&c, "GET", "/api/v1/me", NULL, NULL);
    reply_expect_problem(r, 401, "unauthenticated");
    reply_free(r);
}

Test(api_keys, tokens_are_stored_hashed)
{
    struct keyed k;
    keyed_setup(&k);
    const char *p[] = {k.integration.bearer, k.key_id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM api_keys WHERE id = $1", 1, p + 1), 1);
    cr_assert_eq(testdb_long("SELECT count(*) FROM api_keys WHERE token_hash = $1", 1, p), 0,
                 "the raw token is in the database");
    const char *secret[] = {k.integration.bearer + 4}; /* without the pli_ prefix */
    cr_assert_eq(testdb_long("SELECT count(*) FROM api_keys WHERE token_hash = $1", 1, secret),
                 0);
}

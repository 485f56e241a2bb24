/* Service endpoints (health, signing keys, the OpenAPI document) and request ids. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"

static struct reply *get(const char *path)
{
    struct client c;
    client_init(&c);
    return client_send(&c, "GET", path, NULL, NULL);
}

/* Fails unless the reply has a non-empty X-Request-Id; returns it (caller frees). */
static char *request_id(const struct reply *r)
{
    char *id = reply_header(r, "X-Request-Id");
    cr_assert(id && *id, "no X-Request-Id in:\n%s", r->headers);
    return id;
}

/* Fails unless the problem's instance is urn:pli:request:<X-Request-Id>. */
static void expect_instance_is_request_id(const struct reply *r)
{
    char *id = request_id(r);
    char want[256];
    snprintf(want, sizeof(want), "urn:pli:request:%s", id);
    const char *instance = reply_string(r, "instance");
    cr_assert(instance, "problem without instance: %s", r->body);
    cr_assert_str_eq(instance, want);
    free(id);
}

Test(service, health_answers_status_ok)
{
    struct reply *r = get("/api/v1/health");
    cr_assert_eq(r->status, 200, "%s", r->body);
    char *type = reply_header(r, "Content-Type");
    cr_assert(type && strncmp(type, "application/json", 16) == 0, "%s", type ? type : "");
    free(type);
    cr_assert(json_is_object(r->json), "%s", r->body);
    cr_assert_eq(json_object_size(r->json), 1, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "status"), "ok");
    reply_free(r);
}

Test(service, keys_publish_one_ed25519_key)
{
    struct reply *r = get("/api/v1/keys");
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *keys = json_object_get(r->json, "keys");
    cr_assert(json_is_array(keys), "%s", r->body);
    cr_assert_eq(json_array_size(keys), 1, "%s", r->body);
    json_t *key = json_array_get(keys, 0);

    const char *id = json_string_value(json_object_get(key, "id"));
    cr_assert(id, "%s", r->body);
    cr_assert_eq(strlen(id), 16, "key id %s", id);
    cr_assert_eq(strspn(id, "0123456789abcdef"), 16, "key id %s is not lower-case hex", id);
    cr_assert_str_eq(json_string_value(json_object_get(key, "alg")), "Ed25519");

    const char *b64 = json_string_value(json_object_get(key, "public_key"));
    cr_assert(b64, "%s", r->body);
    cr_assert_eq(sodium_init() < 0, 0);
    unsigned char raw[64];
    size_t raw_len = 0;
    const char *end = NULL;
    int rc = sodium_base642bin(raw, sizeof(raw), b64, strlen(b64), NULL, &raw_len, &end,
                               sodium_base64_VARIANT_ORIGINAL);
    cr_assert_eq(rc, 0, "public key %s is not base64", b64);
    cr_assert_eq(*end, '\0', "trailing characters in %s", b64);
    cr_assert_eq(raw_len, 32, "public key decodes to %zu bytes", raw_len);
    reply_free(r);
}

Test(service, keys_are_stable_between_requests)
{
    struct reply *a = get("/api/v1/keys"), *b = get("/api/v1/keys");
    cr_assert_eq(a->status, 200);
    cr_assert_eq(b->status, 200);
    cr_assert(json_equal(a->json, b->json), "%s\n%s", a->body, b->body);
    reply_free(a);
    reply_free(b);
}

Test(service, openapi_document_is_served)
{
    struct reply *r = get("/api/v1/openapi.yaml");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(strstr(r->body, "openapi: 3.1"), "not an OpenAPI 3.1 document");
    char *type = reply_header(r, "Content-Type");
    cr_assert(type && strstr(type, "yaml"), "Content-Type %s", type ? type : "(none)");
    free(type);
    reply_free(r);
}

Test(service, openapi_document_carries_request_id)
{
    struct reply *r = get("/api/v1/openapi.yaml");
    cr_assert_eq(r->status, 200);
    free(request_id(r));
    reply_free(r);
}

Test(service, app_answers_carry_request_id)
{
    struct reply *r = get("/api/v1/health");
    free(request_id(r));
    reply_free(r);
}

Test(service, request_ids_differ_between_requests)
{
    struct reply *a = get("/api/v1/health"), *b = get("/api/v1/health");
    char *ia = request_id(a), *ib = request_id(b);
    cr_assert_str_neq(ia, ib);
    free(ia);
    free(ib);
    reply_free(a);
    reply_free(b);
}

Test(service, app_problem_instance_is_request_id)
{
    struct reply *r = get("/api/v1/me");
    reply_expect_problem(r, 401, "unauthenticated");
    expect_instance_is_request_id(r);
    cr_assert_str_eq(reply_string(r, "type"), "urn:pli:problem:unauthenticated");
    reply_free(r);
}

Test(service, nginx_problem_instance_is_request_id)
{
    struct reply *r = get("/not-an-api-path");
    reply_expect_problem(r, 404, "not_found");
    expect_instance_is_request_id(r);
    reply_free(r);
}

Test(service, app_not_found_instance_is_request_id)
{
    struct reply *r = get("/api/v1/no-such-thing");
    reply_expect_problem(r, 404, "not_found");
    expect_instance_is_request_id(r);
    reply_free(r);
}

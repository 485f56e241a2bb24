#include "support/carrier.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support/stack.h"
#include "support/testdb.h"

void ca_send_lrar(struct ca_letter *l, int n, const char *const *line1s)
{
    cr_assert(n >= 1 && n <= DL_RECIPIENTS_MAX, "%d recipients", n);
    memset(l, 0, sizeof(*l));
    lt_admin(&l->admin, l->team);
    lt_payment_method(&l->admin.c, l->team);
    json_t *recipients = json_array();
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Destinataire%d", i + 1);
        json_array_append_new(recipients, lt_postal_recipient(name, line1s[i]));
    }
    dl_send(&l->admin.c, l->team, "lrar", "Mise en demeure", recipients, 0, &l->letter);
    struct reply *r = lt_get(&l->admin.c, l->team, l->letter.id);
    cr_assert_eq(r->status, 200, "GET letter: %ld %s", r->status, r->body);
    for (int i = 0; i < n; i++) {
        json_t *d = dl_delivery_of(r->json, l->letter.deliveries[i]);
        cr_assert_str_eq(lt_str(d, "channel"), "postal", "delivery %d: %s", i + 1, r->body);
    }
    reply_free(r);
}

json_t *ca_wait_status(struct ca_letter *l, int i, const char *status)
{
    cr_assert(i >= 0 && i < l->letter.count, "no delivery %d", i + 1);
    return dl_wait_status(&l->admin.c, l->team, l->letter.id, l->letter.deliveries[i], status);
}

/* One call to the sandbox carrier's own API as pli makes it: $PLI_CARRIER_URL, bearer
 * $PLI_CARRIER_API_KEY, its CA ($PLI_CARRIER_CA_FILE); idempotency_key and body may be NULL. */
static struct reply *carrier_call(const char *method, const char *path, const char *idempotency_key,
                                  const char *body)
{
    const char *base = getenv("PLI_CARRIER_URL"), *key = getenv("PLI_CARRIER_API_KEY");
    cr_assert(base && key, "PLI_CARRIER_URL and PLI_CARRIER_API_KEY must be set");
    struct client carrier;
    client_init(&carrier);
    carrier.send_origin = false;
    carrier.base_url = base;
    carrier.ca_file = getenv("PLI_CARRIER_CA_FILE");
    cr_assert(strlen(key) < sizeof(carrier.bearer), "PLI_CARRIER_API_KEY is too long");
    snprintf(carrier.bearer, sizeof(carrier.bearer), "%s", key);
    char idem[300];
    const char *headers[3];
    int n = 0;
    if (idempotency_key) {
        snprintf(idem, sizeof(idem), "Idempotency-Key: %s", idempotency_key);
        headers[n++] = idem;
    }
    if (body)
        headers[n++] = "Content-Type: application/json";
    headers[n] = NULL;
    return client_send(&carrier, method, path, body, headers);
}

json_t *ca_sandbox_letters(const char *reference)
{
    struct reply *r = carrier_call("GET", lt_path("/letters?reference=%s", reference), NULL, NULL);
    cr_assert_eq(r->status, 200, "carrier list: %ld %s", r->status, r->body);
    json_t *letters = json_object_get(r->json, "letters");
    cr_assert(json_is_array(letters), "the carrier's list has no letters array: %s", r->body);
    json_incref(letters);
    reply_free(r);
    return letters;
}

void ca_expect_one_sandbox_letter(const char *delivery_id, char carrier_id[LT_ID_MAX])
{
    json_t *letters = ca_sandbox_letters(delivery_id);
    cr_assert_eq(json_array_size(letters), 1, "the carrier holds %zu letters for %s",
                 json_array_size(letters), delivery_id);
    json_t *letter = json_array_get(letters, 0);
    cr_assert_str_eq(lt_str(letter, "reference"), delivery_id);
    if (carrier_id)
        snprintf(carrier_id, LT_ID_MAX, "%s", lt_str(letter, "id"));
    json_decref(letters);
}

long ca_sandbox_post(const char *idempotency_key, const char *body, char *error, size_t error_size)
{
    struct reply *r = carrier_call("POST", "/letters", idempotency_key, body);
    long status = r->status;
    snprintf(error, error_size, "%s", lt_str(r->json, "error"));
    reply_free(r);
    return status;
}

void ca_webhook_id(char out[LT_ID_MAX])
{
    unsigned char raw[16];
    char hex[33];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(out, LT_ID_MAX, "msg_%s", hex);
}

void ca_uuid(char out[LT_ID_MAX])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, LT_ID_MAX, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

void ca_timestamp(long offset, char out[CA_TIMESTAMP_MAX])
{
    snprintf(out, CA_TIMESTAMP_MAX, "%lld", (long long)time(NULL) + offset);
}

void ca_rfc3339(long offset, char out[32])
{
    time_t t = time(NULL) + offset;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The HMAC key of PLI_CARRIER_WEBHOOK_SECRET; returns its length. */
static size_t secret_key(unsigned char key[64])
{
    const char *secret = getenv("PLI_CARRIER_WEBHOOK_SECRET");
    cr_assert_not_null(secret, "PLI_CARRIER_WEBHOOK_SECRET is not set");
    if (strncmp(secret, "whsec_", 6) == 0)
        secret += 6;
    size_t len = 0;
    cr_assert_eq(sodium_base642bin(key, 64, secret, strlen(secret), NULL, &len, NULL,
                                   sodium_base64_VARIANT_ORIGINAL),
                 0, "the webhook secret is not whsec_ and base64");
    cr_assert(len > 0, "empty webhook secret");
    return len;
}

void ca_sign(const char *id, const char *timestamp, const void *body, size_t len,
             char out[CA_SIGNATURE_MAX])
{
    unsigned char key[64], mac[crypto_auth_hmacsha256_BYTES];
    size_t key_len = secret_key(key);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(key, sizeof(key));
    char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, CA_SIGNATURE_MAX, "v1,%s", b64);
}

void ca_webhook_sign(struct ca_webhook *w, long offset, const char *body)
{
    ca_webhook_id(w->id);
    ca_timestamp(offset, w->timestamp);
    ca_sign(w->id, w->timestamp, body, strlen(body), w->signature);
}

char *ca_event(const char *type, const char *delivery_id, const json_t *proof)
{
    return ca_event_with(type, delivery_id, proof, NULL, NULL);
}

char *ca_event_with(const char *type, const char *delivery_id, const json_t *proof,
                    const char *field, json_t *value)
{
    char occurred[32];
    ca_rfc3339(0, occurred);
    json_t *event = json_pack("{s:s, s:s, s:s}", "type", type, "delivery_id", delivery_id,
                              "occurred_at", occurred);
    cr_assert_not_null(event);
    if (proof)
        json_object_set_new(event, "proof", json_deep_copy(proof));
    if (field)
        json_object_set_new(event, field, value);
    char *text = json_dumps(event, JSON_COMPACT);
    json_decref(event);
    cr_assert_not_null(text);
    return text;
}

json_t *ca_inline_proof(const char *type, const void *data, size_t len, char sha256[65])
{
    char hex[65];
    lt_sha256_hex(data, len, hex);
    if (sha256)
        snprintf(sha256, 65, "%s", hex);
    char *b64 = lt_base64_encode(data, len);
    json_t *proof =
        json_pack("{s:s, s:s, s:s}", "type", type, "sha256", hex, "content_base64", b64);
    free(b64);
    return proof;
}

struct reply *ca_post(const char *carrier, const char *id, const char *timestamp,
                      const char *signature, const void *body, size_t len)
{
    struct client carrier_client;
    client_init(&carrier_client);
    carrier_client.send_origin = false;
    char h_id[400], h_ts[100], h_sig[2048];
    const char *headers[5];
    int n = 0;
    headers[n++] = "Content-Type: application/json";
    if (id) {
        snprintf(h_id, sizeof(h_id), "webhook-id: %s", id);
        headers[n++] = h_id;
    }
    if (timestamp) {
        snprintf(h_ts, sizeof(h_ts), "webhook-timestamp: %s", timestamp);
        headers[n++] = h_ts;
    }
    if (signature) {
        snprintf(h_sig, sizeof(h_sig), "webhook-signature: %s", signature);
        headers[n++] = h_sig;
    }
    headers[n] = NULL;
    return client_send_bytes(&carrier_client, "POST",
                             lt_path("/api/v1/webhooks/carriers/%s", carrier), body, len, headers);
}

struct reply *ca_post_webhook(const char *carrier, const struct ca_webhook *w, const char *body)
{
    return ca_post(carrier, w->id, w->timestamp, w->signature, body, strlen(body));
}

struct reply *ca_post_signed(const char *id, const char *body)
{
    char timestamp[CA_TIMESTAMP_MAX], signature[CA_SIGNATURE_MAX];
    ca_timestamp(0, timestamp);
    ca_sign(id, timestamp, body, strlen(body), signature);
    return ca_post("sandbox", id, timestamp, signature, body, strlen(body));
}

void ca_expect_answer(struct reply *r, const char *status)
{
    cr_assert_eq(r->status, 200, "callback answered %ld, not 200 %s: %s", r->status, status,
                 r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), status, "callback not %s: %s", status, r->body);
    reply_free(r);
}

void ca_post_accepted(const char *body, char id[LT_ID_MAX])
{
    ca_webhook_id(id);
    ca_expect_answer(ca_post_signed(id, body), "accepted");
}

long ca_webhook_rows(const char *webhook_id)
{
    const char *params[] = {webhook_id};
    return testdb_long("SELECT count(*) FROM carrier_webhooks WHERE webhook_id = $1", 1, params);
}

int ca_wait_event(const char *webhook_id)
{
    const char *params[] = {webhook_id};
    double deadline = stack_now() + DL_WAIT_MS / 1000.0;
    for (;;) {
        PGresult *r = testdb_exec("SELECT applied FROM delivery_events "
                                  "WHERE source = 'carrier' AND details->>'carrier_event_id' = $1",
                                  1, params);
        int rows = PQntuples(r);
        int applied = rows == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
        cr_assert(rows <= 1, "the callback %s was recorded %d times", webhook_id, rows);
        if (rows == 1)
            return applied;
        cr_assert(stack_now() < deadline, "the callback %s was not recorded within %d ms",
                  webhook_id, DL_WAIT_MS);
        stack_sleep(0.1);
    }
}

unsigned char *ca_blob(const char *sha256, size_t *len)
{
    const char *params[] = {sha256};
    /* encode(…, 'base64') wraps its lines every 76 characters: the newlines are taken out. */
    PGresult *r = testdb_exec("SELECT translate(encode(data, 'base64'), E'\\n', '') FROM blobs "
                              "WHERE sha256 = $1",
                              1, params);
    unsigned char *data = PQntuples(r) == 1 ? lt_base64_decode(PQgetvalue(r, 0, 0), len) : NULL;
    PQclear(r);
    return data;
}

#include "support/carrier.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/stack.h"
#include "support/testdb.h"

/* The most proofs one verify-proof run is given (a postal delivery has two or three). */
#define CA_PROOFS_MAX 8

void ca_send_lrar(struct ca_letter *l, int n, const char *const *line1s)
{
    cr_assert(n >= 1 && n <= CA_RECIPIENTS_MAX, "%d recipients", n);
    memset(l, 0, sizeof(*l));
    lt_admin(&l->admin, l->team);
    lt_payment_method(&l->admin.c, l->team);
    json_t *recipients = json_array();
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Destinataire%d", i + 1);
        json_array_append_new(recipients, lt_postal_recipient(name, line1s[i]));
    }
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:s, s:o}", "kind", "lrar", "subject", "Mise en demeure", "body",
                  "Madame, Monsieur,", "reference", "LRAR-2024", "recipients", recipients);
    struct reply *r = lt_create(&l->admin.c, l->team, body, NULL);
    cr_assert_eq(r->status, 201, "create lrar: %ld %s", r->status, r->body);
    snprintf(l->letter, sizeof(l->letter), "%s", lt_str(r->json, "id"));
    reply_free(r);
    lt_reauth(&l->admin.c);
    r = lt_action(&l->admin.c, l->team, l->letter, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    json_t *deliveries = json_object_get(r->json, "deliveries");
    cr_assert_eq(json_array_size(deliveries), (size_t)n, "deliveries: %s", r->body);
    for (int i = 0; i < n; i++) {
        json_t *d = json_array_get(deliveries, (size_t)i);
        cr_assert_str_eq(lt_str(d, "channel"), "postal", "%s", r->body);
        snprintf(l->delivery[i], sizeof(l->delivery[i]), "%s", lt_str(d, "id"));
        cr_assert(l->delivery[i][0], "no delivery id: %s", r->body);
    }
    l->n = n;
    reply_free(r);
}

json_t *ca_delivery_of(const json_t *letter, const char *delivery_id)
{
    size_t i;
    json_t *d;
    json_array_foreach (json_object_get(letter, "deliveries"), i, d) {
        if (strcmp(lt_str(d, "id"), delivery_id) == 0)
            return d;
    }
    return NULL;
}

json_t *ca_wait_status(struct ca_letter *l, const char *delivery_id, const char *status)
{
    double deadline = stack_now() + CA_WAIT_MS / 1000.0;
    char last[32] = "(none)";
    for (;;) {
        struct reply *r = lt_get(&l->admin.c, l->team, l->letter);
        cr_assert_eq(r->status, 200, "GET letter: %ld %s", r->status, r->body);
        json_t *d = ca_delivery_of(r->json, delivery_id);
        cr_assert_not_null(d, "no delivery %s in %s", delivery_id, r->body);
        snprintf(last, sizeof(last), "%s", lt_str(d, "status"));
        if (strcmp(last, status) == 0) {
            json_t *letter = json_incref(r->json);
            reply_free(r);
            return letter;
        }
        reply_free(r);
        if (stack_now() > deadline)
            break;
        stack_sleep(0.1);
    }
    cr_assert_fail("delivery %s is still %s after %d ms (waiting for %s)", delivery_id, last,
                   CA_WAIT_MS, status);
    return NULL;
}

json_t *ca_proof(struct ca_letter *l, const char *proof_id)
{
    struct reply *r = client_send(
        &l->admin.c, "GET",
        lt_path("/api/v1/teams/%s/letters/%s/proofs/%s?format=json", l->team, l->letter, proof_id),
        NULL, NULL);
    cr_assert_eq(r->status, 200, "proof %s: %ld %s", proof_id, r->status, r->body);
    cr_assert(json_is_object(r->json), "proof %s is not JSON: %.200s", proof_id, r->body);
    json_t *proof = json_incref(r->json);
    reply_free(r);
    return proof;
}

json_t *ca_signed_record(const json_t *proof)
{
    const char *b64 = lt_str(proof, "signed_payload");
    size_t cap = strlen(b64) + 1, len = 0;
    unsigned char *bytes = malloc(cap);
    cr_assert_not_null(bytes);
    cr_assert_eq(sodium_base642bin(bytes, cap, b64, strlen(b64), NULL, &len, NULL,
                                   sodium_base64_VARIANT_ORIGINAL),
                 0, "signed_payload is not base64");
    json_error_t error;
    json_t *record = json_loadb((const char *)bytes, len, 0, &error);
    free(bytes);
    cr_assert_not_null(record, "the signed payload is not JSON: %s", error.text);
    return record;
}

/* Writes JSON to a fresh temporary file; fills path. */
static void save_json(const json_t *value, char path[64])
{
    snprintf(path, 64, "/tmp/pli-carrier-test.XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp");
    close(fd);
    cr_assert_eq(json_dump_file(value, path, JSON_INDENT(2)), 0, "cannot write %s", path);
}

int ca_verify_proofs(struct ca_letter *l, const json_t *delivery, char *out, size_t out_size)
{
    const char *dir = getenv("PLI_TEST_BUILD_DIR");
    cr_assert_not_null(dir, "PLI_TEST_BUILD_DIR is not set");
    json_t *proofs = json_object_get(delivery, "proofs");
    size_t n = json_array_size(proofs);
    cr_assert(n >= 1 && n <= CA_PROOFS_MAX, "%zu proofs", n);
    char keys_path[64], paths[CA_PROOFS_MAX][64], command[2048];
    json_t *keys = lt_keys();
    save_json(keys, keys_path);
    json_decref(keys);
    size_t used = (size_t)snprintf(command, sizeof(command), "'%s/pli' verify-proof --keys '%s'",
                                   dir, keys_path);
    for (size_t i = 0; i < n; i++) {
        json_t *proof = ca_proof(l, lt_str(json_array_get(proofs, i), "id"));
        save_json(proof, paths[i]);
        json_decref(proof);
        used += (size_t)snprintf(command + used, sizeof(command) - used, " '%s'", paths[i]);
        cr_assert(used < sizeof(command), "command too long");
    }
    snprintf(command + used, sizeof(command) - used, " 2>&1");
    FILE *p = popen(command, "r");
    cr_assert_not_null(p);
    size_t got = 0;
    out[0] = '\0';
    char line[512];
    while (fgets(line, sizeof(line), p)) {
        int w = snprintf(out + got, out_size - got, "%s", line);
        if (w > 0)
            got += (size_t)w < out_size - got ? (size_t)w : out_size - got - 1;
    }
    int status = pclose(p);
    unlink(keys_path);
    for (size_t i = 0; i < n; i++)
        unlink(paths[i]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* An answer body as it arrives. */
struct ca_buffer {
    char *data;
    size_t len;
};

/* libcurl's write callback: appends to a ca_buffer, NUL-terminated. */
static size_t ca_collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct ca_buffer *b = userdata;
    size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, ptr, add);
    b->data = grown;
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* One call to the carrier's API (bearer key, its CA); returns the status and fills answer
 * (parsed JSON or NULL; caller decrefs). */
static long carrier_call(const char *method, const char *path, const char *idempotency_key,
                         const char *body, json_t **answer)
{
    const char *base = getenv("PLI_CARRIER_URL"), *key = getenv("PLI_CARRIER_API_KEY"),
               *ca = getenv("PLI_CARRIER_CA_FILE");
    cr_assert(base && key, "PLI_CARRIER_URL and PLI_CARRIER_API_KEY must be set");
    CURL *curl = curl_easy_init();
    cr_assert_not_null(curl);
    char url[1024], auth[512], idem[300];
    snprintf(url, sizeof(url), "%s%s", base, path);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    if (idempotency_key) {
        snprintf(idem, sizeof(idem), "Idempotency-Key: %s", idempotency_key);
        headers = curl_slist_append(headers, idem);
    }
    if (body)
        headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    struct ca_buffer out = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ca_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (ca && ca[0])
        curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    CURLcode rc = curl_easy_perform(curl);
    cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, url, curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    *answer = out.data ? json_loadb(out.data, out.len, 0, NULL) : NULL;
    free(out.data);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return status;
}

json_t *ca_sandbox_letters(const char *reference)
{
    json_t *answer = NULL;
    long status =
        carrier_call("GET", lt_path("/letters?reference=%s", reference), NULL, NULL, &answer);
    cr_assert_eq(status, 200, "carrier list: %ld", status);
    json_t *letters = json_object_get(answer, "letters");
    cr_assert(json_is_array(letters), "the carrier's list has no letters array");
    json_incref(letters);
    json_decref(answer);
    return letters;
}

long ca_sandbox_post(const char *idempotency_key, const char *body, char *error, size_t error_size)
{
    json_t *answer = NULL;
    long status = carrier_call("POST", "/letters", idempotency_key, body, &answer);
    snprintf(error, error_size, "%s", lt_str(answer, "error"));
    json_decref(answer);
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

char *ca_event(const char *type, const char *delivery_id, const char *carrier_reference,
               const json_t *proof)
{
    char occurred[32];
    ca_rfc3339(0, occurred);
    json_t *event = json_pack("{s:s, s:s, s:s}", "type", type, "delivery_id", delivery_id,
                              "occurred_at", occurred);
    cr_assert_not_null(event);
    if (carrier_reference)
        json_object_set_new(event, "carrier_reference", json_string(carrier_reference));
    if (proof)
        json_object_set_new(event, "proof", json_deep_copy(proof));
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
    size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(size);
    cr_assert_not_null(b64);
    sodium_bin2base64(b64, size, data, len, sodium_base64_VARIANT_ORIGINAL);
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

struct reply *ca_post_signed(const char *id, const char *body)
{
    char timestamp[CA_TIMESTAMP_MAX], signature[CA_SIGNATURE_MAX];
    ca_timestamp(0, timestamp);
    ca_sign(id, timestamp, body, strlen(body), signature);
    return ca_post("sandbox", id, timestamp, signature, body, strlen(body));
}

long ca_webhook_rows(const char *webhook_id)
{
    const char *params[] = {webhook_id};
    return testdb_long("SELECT count(*) FROM carrier_webhooks WHERE webhook_id = $1", 1, params);
}

int ca_wait_event(const char *webhook_id)
{
    const char *params[] = {webhook_id};
    double deadline = stack_now() + CA_WAIT_MS / 1000.0;
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
                  webhook_id, CA_WAIT_MS);
        stack_sleep(0.1);
    }
}

unsigned char *ca_blob(const char *sha256, size_t *len)
{
    const char *params[] = {sha256};
    PGresult *r =
        testdb_exec("SELECT encode(data, 'base64') FROM blobs WHERE sha256 = $1", 1, params);
    if (PQntuples(r) != 1) {
        PQclear(r);
        return NULL;
    }
    const char *b64 = PQgetvalue(r, 0, 0);
    size_t cap = strlen(b64) + 1;
    unsigned char *data = malloc(cap);
    cr_assert_not_null(data);
    /* encode(…, 'base64') wraps its lines: newlines are skipped. */
    cr_assert_eq(sodium_base642bin(data, cap, b64, strlen(b64), "\n", len, NULL,
                                   sodium_base64_VARIANT_ORIGINAL),
                 0, "blob %s: bad base64", sha256);
    PQclear(r);
    return data;
}

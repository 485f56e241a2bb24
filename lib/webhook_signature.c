#include "lib/webhook_signature.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "lib/crypto.h"

#define SECRET_PREFIX "whsec_"
#define SIGNATURE_VERSION "v1"
/* The longest webhook id accepted, in bytes. */
#define ID_MAX 256
/* Enough for any time_t in seconds; 20 digits could overflow 64 bits. */
#define TIMESTAMP_DIGITS_MAX 19

_Static_assert(sizeof(SIGNATURE_VERSION) - 1 + 1 +
                       sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                                 sodium_base64_VARIANT_ORIGINAL) ==
                   WEBHOOK_SIGNATURE_MAX,
               "WEBHOOK_SIGNATURE_MAX is \"v1,\", the base64 of an HMAC-SHA256 and the NUL");

/* Only characters of the standard alphabet and '='. libsodium 1.0.18 (Debian 12) decodes every
 * byte from 0x80 to 0xff as '/', so it cannot be left to reject them: a signature or a secret
 * would have many spellings. */
bool webhook_secret_parse(const char *text, struct webhook_secret *secret)
{
    sodium_memzero(secret, sizeof(*secret));
    if (!text)
        return false;
    size_t prefix = sizeof(SECRET_PREFIX) - 1;
    if (strncmp(text, SECRET_PREFIX, prefix) == 0)
        text += prefix;
    size_t len = 0, text_len = strlen(text);
    /* Only base64 characters, nothing ignored or left over; more than
     * WEBHOOK_SECRET_MAX bytes fails too. */
    if (!crypto_base64_decode(text, text_len, secret->key, sizeof(secret->key), &len) ||
        len == 0) {
        sodium_memzero(secret, sizeof(*secret));
        return false;
    }
    secret->len = len;
    return true;
}

_Static_assert(sizeof(SECRET_PREFIX) - 1 +
                       sodium_base64_ENCODED_LEN(WEBHOOK_SECRET_BYTES,
                                                 sodium_base64_VARIANT_ORIGINAL) ==
                   WEBHOOK_SECRET_TEXT_MAX,
               "WEBHOOK_SECRET_TEXT_MAX is \"whsec_\", the base64 of the secret and the NUL");

void webhook_secret_generate(char out[WEBHOOK_SECRET_TEXT_MAX])
{
    unsigned char key[WEBHOOK_SECRET_BYTES];
    randombytes_buf(key, sizeof(key));
    memcpy(out, SECRET_PREFIX, sizeof(SECRET_PREFIX) - 1);
    crypto_base64(key, sizeof(key), out + sizeof(SECRET_PREFIX) - 1,
                  WEBHOOK_SECRET_TEXT_MAX - (sizeof(SECRET_PREFIX) - 1));
    sodium_memzero(key, sizeof(key));
}

static void mac_compute(const struct webhook_secret *secret, const char *id, const char *timestamp,
                        const char *body, size_t body_len,
                        unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, secret->key, secret->len);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)id, strlen(id));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)".", 1);
    if (body_len > 0)
        crypto_auth_hmacsha256_update(&state, (const unsigned char *)body, body_len);
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(&state, sizeof(state));
}

void webhook_sign(const struct webhook_secret *secret, const char *id, const char *timestamp,
                  const char *body, size_t body_len, char out[WEBHOOK_SIGNATURE_MAX])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    mac_compute(secret, id, timestamp, body, body_len, mac);
    size_t prefix = sizeof(SIGNATURE_VERSION ",") - 1;
    memcpy(out, SIGNATURE_VERSION ",", prefix);
    sodium_bin2base64(out + prefix, WEBHOOK_SIGNATURE_MAX - prefix, mac, sizeof(mac),
                      sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(mac, sizeof(mac));
}

/* 1 to ID_MAX bytes, none of them whitespace or a control character. */
static bool id_is_valid(const char *id)
{
    size_t n = 0;
    for (; id[n]; n++) {
        unsigned char c = (unsigned char)id[n];
        if (n == ID_MAX || c <= ' ' || c == 0x7f)
            return false;
    }
    return n > 0;
}

/* 1 to TIMESTAMP_DIGITS_MAX ASCII digits, nothing else. */
static bool timestamp_parse(const char *text, uint64_t *out)
{
    uint64_t value = 0;
    size_t n = 0;
    for (; text[n]; n++) {
        if (n == TIMESTAMP_DIGITS_MAX || text[n] < '0' || text[n] > '9')
            return false;
        value = value * 10 + (uint64_t)(text[n] - '0');
    }
    *out = value;
    return n > 0;
}

static bool timestamp_is_fresh(uint64_t ts, time_t now)
{
    if (ts > (uint64_t)INT64_MAX)
        return false;
    int64_t t = (int64_t)ts, n = (int64_t)now;
    /* The distance between two int64_t always fits in a uint64_t. */
    uint64_t distance = t > n ? (uint64_t)t - (uint64_t)n : (uint64_t)n - (uint64_t)t;
    return distance <= WEBHOOK_TOLERANCE_SECONDS;
}

/* What the first WEBHOOK_SIGNATURES_MAX entries of a signature header hold. */
struct header_entries {
    unsigned char v1[WEBHOOK_SIGNATURES_MAX][crypto_auth_hmacsha256_BYTES];
    size_t v1_count;
    /* Entries that read as "version,value": v1 with the base64 of 32 bytes, or any other
     * version with a non-empty value. */
    size_t readable;
};

static void header_parse(const char *header, struct header_entries *entries)
{
    entries->v1_count = 0;
    entries->readable = 0;
    const char *p = header;
    for (int looked = 0; looked < WEBHOOK_SIGNATURES_MAX; looked++) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - start);
        const char *comma = memchr(start, ',', len);
        if (!comma || comma == start)
            continue;
        size_t version_len = (size_t)(comma - start);
        const char *value = comma + 1;
        size_t value_len = len - version_len - 1;
        if (value_len == 0)
            continue;
        if (version_len != sizeof(SIGNATURE_VERSION) - 1 ||
            memcmp(start, SIGNATURE_VERSION, version_len) != 0) {
            entries->readable++; /* another version: skipped */
            continue;
        }
        unsigned char *mac = entries->v1[entries->v1_count];
        size_t mac_len = 0;
        if (crypto_base64_decode(value, value_len, mac, crypto_auth_hmacsha256_BYTES, &mac_len) &&
            mac_len == crypto_auth_hmacsha256_BYTES) {
            entries->v1_count++;
            entries->readable++;
        }
    }
}

enum webhook_check webhook_verify(const struct webhook_secret *secret, const char *id,
                                  const char *timestamp, const char *body, size_t body_len,
                                  const char *signature_header, time_t now)
{
    uint64_t ts;
    if (!id || !timestamp || !signature_header || (!body && body_len > 0) || !id_is_valid(id) ||
        !timestamp_parse(timestamp, &ts))
        return WEBHOOK_MALFORMED;
    struct header_entries entries;
    header_parse(signature_header, &entries);
    if (entries.readable == 0)
        return WEBHOOK_MALFORMED;
    if (!timestamp_is_fresh(ts, now))
        return WEBHOOK_STALE;
    if (!secret || secret->len == 0 || secret->len > sizeof(secret->key))
        return WEBHOOK_BAD_SIGNATURE;

    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    mac_compute(secret, id, timestamp, body, body_len, mac);
    /* Every entry is compared, in constant time, whether an earlier one matched or not. */
    bool matched = false;
    for (size_t i = 0; i < entries.v1_count; i++)
        matched |= sodium_memcmp(entries.v1[i], mac, sizeof(mac)) == 0;
    sodium_memzero(mac, sizeof(mac));
    return matched ? WEBHOOK_OK : WEBHOOK_BAD_SIGNATURE;
}

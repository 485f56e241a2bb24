/* Standard Webhooks signatures: the specification's known answer, the timestamp window,
 * tampering, headers with several entries, malformed input and secret parsing. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/webhook_signature.h"

/* The example of the Standard Webhooks specification. */
#define KAT_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define KAT_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define KAT_TS "1614265330"
#define KAT_NOW ((time_t)1614265330)
#define KAT_BODY "{\"test\": 2432232314}"
#define KAT_SIGNATURE "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
/* Well-formed v1 entries that match nothing. */
#define WRONG_1 "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define WRONG_2 "v1,/////////////////////////////////////////w="

static struct webhook_secret secret;

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    cr_assert(webhook_secret_parse(KAT_SECRET, &secret));
}

TestSuite(webhook_signature, .init = setup);

static enum webhook_check verify_at(const char *id, const char *ts, const char *body,
                                    const char *header, time_t now)
{
    return webhook_verify(&secret, id, ts, body, body ? strlen(body) : 0, header, now);
}

static enum webhook_check verify(const char *id, const char *ts, const char *header)
{
    return verify_at(id, ts, KAT_BODY, header, KAT_NOW);
}

static enum webhook_check verify_header(const char *header)
{
    return verify(KAT_ID, KAT_TS, header);
}

Test(webhook_signature, known_answer_signs)
{
    char out[WEBHOOK_SIGNATURE_MAX];
    webhook_sign(&secret, KAT_ID, KAT_TS, KAT_BODY, strlen(KAT_BODY), out);
    cr_assert_str_eq(out, KAT_SIGNATURE);
    cr_assert_eq(strlen(out), WEBHOOK_SIGNATURE_MAX - 1);
}

Test(webhook_signature, known_answer_verifies)
{
    cr_assert_eq(verify_header(KAT_SIGNATURE), WEBHOOK_OK);
}

Test(webhook_signature, secret_prefix_is_optional)
{
    struct webhook_secret bare;
    cr_assert(webhook_secret_parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &bare));
    cr_assert_eq(bare.len, 24);
    cr_assert_eq(secret.len, 24);
    cr_assert_eq(memcmp(bare.key, secret.key, 24), 0);
    cr_assert_eq(
        webhook_verify(&bare, KAT_ID, KAT_TS, KAT_BODY, strlen(KAT_BODY), KAT_SIGNATURE, KAT_NOW),
        WEBHOOK_OK);
}

Test(webhook_signature, secret_must_be_base64_of_1_to_64_bytes)
{
    struct webhook_secret s;
    const char *bad[] = {
        NULL,
        "",
        "whsec_",
        "whsec_!!!!",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",   /* truncated */
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ", /* trailing space */
        "whsec_MfKQ9r8GKYqr TwjUPD8ILPZIo2LaLaSw", /* inner space */
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS_",    /* URL-safe alphabet */
        "whsec_QQ",                                  /* padding missing */
        "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",    /* the prefix is lower case */
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa\xffw", /* not '/' */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        s.len = 99;
        cr_assert_not(webhook_secret_parse(bad[i], &s), "accepted \"%s\"",
                      bad[i] ? bad[i] : "NULL");
        cr_assert_eq(s.len, 0);
    }
    cr_assert(webhook_secret_parse("whsec_QQ==", &s));
    cr_assert_eq(s.len, 1);
    cr_assert_eq(s.key[0], 'A');
}

Test(webhook_signature, secret_longer_than_64_bytes_is_refused)
{
    unsigned char raw[WEBHOOK_SECRET_MAX + 1];
    memset(raw, 0x5a, sizeof(raw));
    char
        text[6 + sodium_base64_ENCODED_LEN(WEBHOOK_SECRET_MAX + 1, sodium_base64_VARIANT_ORIGINAL)];
    struct webhook_secret s;

    memcpy(text, "whsec_", 6);
    sodium_bin2base64(text + 6, sizeof(text) - 6, raw, WEBHOOK_SECRET_MAX,
                      sodium_base64_VARIANT_ORIGINAL);
    cr_assert(webhook_secret_parse(text, &s));
    cr_assert_eq(s.len, WEBHOOK_SECRET_MAX);
    cr_assert_eq(memcmp(s.key, raw, WEBHOOK_SECRET_MAX), 0);

    sodium_bin2base64(text + 6, sizeof(text) - 6, raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
    cr_assert_not(webhook_secret_parse(text, &s));
    cr_assert_eq(s.len, 0);
}

Test(webhook_signature, five_minutes_either_way)
{
    cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, KAT_NOW + 300), WEBHOOK_OK);
    cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, KAT_NOW - 300), WEBHOOK_OK);
    cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, KAT_NOW + 301), WEBHOOK_STALE);
    cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, KAT_NOW - 301), WEBHOOK_STALE);
}

Test(webhook_signature, stale_wins_over_a_bad_signature)
{
    cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, WRONG_1, KAT_NOW + 301), WEBHOOK_STALE);
}

Test(webhook_signature, extreme_clocks_are_stale)
{
    cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, 0), WEBHOOK_STALE);
    cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, (time_t)-1), WEBHOOK_STALE);
    if (sizeof(time_t) == sizeof(int64_t)) {
        cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, (time_t)INT64_MIN),
                     WEBHOOK_STALE);
        cr_assert_eq(verify_at(KAT_ID, KAT_TS, KAT_BODY, KAT_SIGNATURE, (time_t)INT64_MAX),
                     WEBHOOK_STALE);
        cr_assert_eq(verify_at(KAT_ID, "9223372036854775807", KAT_BODY, WRONG_1, (time_t)INT64_MIN),
                     WEBHOOK_STALE);
        cr_assert_eq(verify_at(KAT_ID, "0", KAT_BODY, WRONG_1, (time_t)INT64_MAX), WEBHOOK_STALE);
    }
}

Test(webhook_signature, tampered_body)
{
    char body[] = KAT_BODY;
    for (size_t i = 0; i < strlen(body); i++) {
        body[i] ^= 1;
        cr_assert_eq(verify_at(KAT_ID, KAT_TS, body, KAT_SIGNATURE, KAT_NOW), WEBHOOK_BAD_SIGNATURE,
                     "byte %zu", i);
        body[i] ^= 1;
    }
    /* One byte more or less. */
    cr_assert_eq(webhook_verify(&secret, KAT_ID, KAT_TS, KAT_BODY, strlen(KAT_BODY) - 1,
                                KAT_SIGNATURE, KAT_NOW),
                 WEBHOOK_BAD_SIGNATURE);
    cr_assert_eq(webhook_verify(&secret, KAT_ID, KAT_TS, KAT_BODY " ", strlen(KAT_BODY) + 1,
                                KAT_SIGNATURE, KAT_NOW),
                 WEBHOOK_BAD_SIGNATURE);
}

Test(webhook_signature, tampered_id)
{
    cr_assert_eq(verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", KAT_TS, KAT_SIGNATURE),
                 WEBHOOK_BAD_SIGNATURE);
    cr_assert_eq(verify("msg_p5jXN8AQM9LWM0D4loKWxJe", KAT_TS, KAT_SIGNATURE),
                 WEBHOOK_BAD_SIGNATURE);
    /* The separator cannot be moved between the id and the timestamp. */
    cr_assert_eq(verify(KAT_ID ".1614265330", "1614265330", KAT_SIGNATURE), WEBHOOK_BAD_SIGNATURE);
}

Test(webhook_signature, tampered_timestamp)
{
    cr_assert_eq(verify(KAT_ID, "1614265331", KAT_SIGNATURE), WEBHOOK_BAD_SIGNATURE);
    cr_assert_eq(verify(KAT_ID, "1614265329", KAT_SIGNATURE), WEBHOOK_BAD_SIGNATURE);
    /* The same instant written differently is a different signed text. */
    cr_assert_eq(verify(KAT_ID, "01614265330", KAT_SIGNATURE), WEBHOOK_BAD_SIGNATURE);
}

Test(webhook_signature, wrong_or_missing_secret)
{
    struct webhook_secret other;
    cr_assert(webhook_secret_parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", &other));
    cr_assert_eq(
        webhook_verify(&other, KAT_ID, KAT_TS, KAT_BODY, strlen(KAT_BODY), KAT_SIGNATURE, KAT_NOW),
        WEBHOOK_BAD_SIGNATURE);
    cr_assert_eq(
        webhook_verify(NULL, KAT_ID, KAT_TS, KAT_BODY, strlen(KAT_BODY), KAT_SIGNATURE, KAT_NOW),
        WEBHOOK_BAD_SIGNATURE);
    struct webhook_secret empty = {.len = 0};
    cr_assert_eq(
        webhook_verify(&empty, KAT_ID, KAT_TS, KAT_BODY, strlen(KAT_BODY), KAT_SIGNATURE, KAT_NOW),
        WEBHOOK_BAD_SIGNATURE);
}

Test(webhook_signature, body_with_nuls_is_signed_to_its_length)
{
    static const char body[] = {'a', '\0', 'b'};
    char out[WEBHOOK_SIGNATURE_MAX];
    webhook_sign(&secret, "id", "1", body, sizeof(body), out);
    /* HMAC-SHA256 of "id.1.a\0b", computed independently. */
    cr_assert_str_eq(out, "v1,5KBziM6MQ4smsgefGVITjD5zQbZDQSHTuFHvd+gMF3k=");
    cr_assert_eq(webhook_verify(&secret, "id", "1", body, sizeof(body), out, 1), WEBHOOK_OK);
    cr_assert_eq(webhook_verify(&secret, "id", "1", body, 1, out, 1), WEBHOOK_BAD_SIGNATURE);
}

Test(webhook_signature, empty_body)
{
    char out[WEBHOOK_SIGNATURE_MAX];
    webhook_sign(&secret, KAT_ID, KAT_TS, NULL, 0, out);
    cr_assert_eq(webhook_verify(&secret, KAT_ID, KAT_TS, NULL, 0, out, KAT_NOW), WEBHOOK_OK);
    cr_assert_eq(webhook_verify(&secret, KAT_ID, KAT_TS, "", 0, out, KAT_NOW), WEBHOOK_OK);
    cr_assert_eq(webhook_verify(&secret, KAT_ID, KAT_TS, NULL, 1, out, KAT_NOW), WEBHOOK_MALFORMED);
}

Test(webhook_signature, any_entry_may_match)
{
    cr_assert_eq(verify_header(WRONG_1 " " WRONG_2 " " KAT_SIGNATURE), WEBHOOK_OK);
    cr_assert_eq(verify_header(KAT_SIGNATURE " " WRONG_1), WEBHOOK_OK);
    cr_assert_eq(verify_header("  " WRONG_1 "   " KAT_SIGNATURE "  "), WEBHOOK_OK);
    cr_assert_eq(verify_header(WRONG_1 " " WRONG_2), WEBHOOK_BAD_SIGNATURE);
    /* An unreadable entry does not hide a good one. */
    cr_assert_eq(verify_header("v1,!!!! garbage v1, " KAT_SIGNATURE), WEBHOOK_OK);
}

Test(webhook_signature, other_versions_are_skipped)
{
    const char *b64 = KAT_SIGNATURE + 3;
    char header[256];
    snprintf(header, sizeof(header), "v1a,%s v2,%s V1,%s", b64, b64, b64);
    cr_assert_eq(verify_header(header), WEBHOOK_BAD_SIGNATURE);
    snprintf(header, sizeof(header), "v1a,%s v2,%s %s", b64, b64, KAT_SIGNATURE);
    cr_assert_eq(verify_header(header), WEBHOOK_OK);
    cr_assert_eq(verify_header("v1a,anything"), WEBHOOK_BAD_SIGNATURE);
}

Test(webhook_signature, at_most_eight_entries_are_looked_at)
{
    char header[1024] = "";
    size_t used = 0;
    for (int i = 0; i < WEBHOOK_SIGNATURES_MAX - 1; i++)
        used += (size_t)snprintf(header + used, sizeof(header) - used, "%s ", WRONG_1);
    snprintf(header + used, sizeof(header) - used, "%s", KAT_SIGNATURE);
    cr_assert_eq(verify_header(header), WEBHOOK_OK, "the 8th entry must be looked at");

    snprintf(header + used, sizeof(header) - used, "%s %s", WRONG_2, KAT_SIGNATURE);
    cr_assert_eq(verify_header(header), WEBHOOK_BAD_SIGNATURE, "the 9th entry must not");

    /* Unreadable and other-version entries count too. */
    snprintf(header, sizeof(header), "x x x x v2,a v2,b v1, v1,! %s", KAT_SIGNATURE);
    cr_assert_eq(verify_header(header), WEBHOOK_BAD_SIGNATURE);
    snprintf(header, sizeof(header), "x x x x x x x x %s", KAT_SIGNATURE);
    cr_assert_eq(verify_header(header), WEBHOOK_MALFORMED);
}

Test(webhook_signature, malformed_headers)
{
    const char *bad[] = {
        "",
        "   ",
        "v1,",
        "v2,",
        "v1",
        ",g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1,!!!!",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE",      /* padding missing */
        "v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE=",     /* URL-safe alphabet */
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=,",    /* trailing comma */
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\t",   /* a tab is not a separator */
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA", /* 35 bytes */
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1A==",     /* 31 bytes */
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=",     /* non-canonical last bits */
        "v1:g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        /* libsodium 1.0.18 alone would read any byte from 0x80 up as '/'. */
        "v1,g0hM9SsE+OTPJTGt\xfftmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1,g0hM9SsE+OTPJTGt\x80tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(verify_header(bad[i]), WEBHOOK_MALFORMED, "\"%s\"", bad[i]);
    cr_assert_eq(verify_header(NULL), WEBHOOK_MALFORMED);
    /* Readable but wrong: a bad signature, not a malformed header. */
    cr_assert_eq(verify_header("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="),
                 WEBHOOK_BAD_SIGNATURE);
}

Test(webhook_signature, malformed_timestamps)
{
    const char *bad[] = {
        "",
        "12a",
        "-1614265330",
        "+1614265330",
        " 1614265330",
        "1614265330 ",
        "1614265330\n",
        "1.6e9",
        "0x60375ef2",
        "1614265330.0",
        "18446744073709551616", /* 2^64 */
        "00000000000000000001614265330",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(verify(KAT_ID, bad[i], KAT_SIGNATURE), WEBHOOK_MALFORMED, "\"%s\"", bad[i]);
    cr_assert_eq(verify(KAT_ID, NULL, KAT_SIGNATURE), WEBHOOK_MALFORMED);
    /* Nineteen digits parse; they are just far from now. */
    cr_assert_eq(verify(KAT_ID, "9999999999999999999", KAT_SIGNATURE), WEBHOOK_STALE);
    cr_assert_eq(verify(KAT_ID, "9223372036854775808", KAT_SIGNATURE), WEBHOOK_STALE);
    cr_assert_eq(verify(KAT_ID, "0", KAT_SIGNATURE), WEBHOOK_STALE);
}

Test(webhook_signature, malformed_ids)
{
    const char *bad[] = {"", "msg 1", "msg\t1", "msg\n", "\x01msg", "msg\x7f", " msg"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(verify(bad[i], KAT_TS, KAT_SIGNATURE), WEBHOOK_MALFORMED, "id %zu", i);
    cr_assert_eq(verify(NULL, KAT_TS, KAT_SIGNATURE), WEBHOOK_MALFORMED);
}

Test(webhook_signature, ids_up_to_256_bytes)
{
    char id[258];
    char out[WEBHOOK_SIGNATURE_MAX];
    memset(id, 'a', sizeof(id));
    id[256] = '\0';
    webhook_sign(&secret, id, KAT_TS, KAT_BODY, strlen(KAT_BODY), out);
    cr_assert_eq(verify(id, KAT_TS, out), WEBHOOK_OK);
    id[256] = 'a';
    id[257] = '\0';
    cr_assert_eq(verify(id, KAT_TS, out), WEBHOOK_MALFORMED);
    /* Any printable character, UTF-8 included. */
    const char *odd = "msg_.,;:\"'{}[]\xc3\xa9\xe2\x82\xac";
    webhook_sign(&secret, odd, KAT_TS, KAT_BODY, strlen(KAT_BODY), out);
    cr_assert_eq(verify(odd, KAT_TS, out), WEBHOOK_OK);
}

Test(webhook_signature, generated_secrets_are_whsec_and_32_random_bytes)
{
    char a[WEBHOOK_SECRET_TEXT_MAX], b[WEBHOOK_SECRET_TEXT_MAX];
    webhook_secret_generate(a);
    webhook_secret_generate(b);
    cr_assert_eq(strncmp(a, "whsec_", 6), 0, "%s", a);
    cr_assert_eq(strlen(a), WEBHOOK_SECRET_TEXT_MAX - 1, "%s", a);
    cr_assert_str_neq(a, b);
    struct webhook_secret s;
    cr_assert(webhook_secret_parse(a, &s));
    cr_assert_eq(s.len, WEBHOOK_SECRET_BYTES);
}

/* Secret settings (mailbox passwords) sealed with crypto_secret_seal and opened with
 * crypto_secret_open: round trips, the master key, tampering, sizes and fresh nonces. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/crypto.h"

/* The bytes a sealed text holds besides the secret: nonce and MAC. */
#define BOX_OVERHEAD (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)

static unsigned char key[CRYPTO_MASTER_KEY_BYTES], other_key[CRYPTO_MASTER_KEY_BYTES];

static void setup(void)
{
    cr_assert(crypto_setup());
    randombytes_buf(key, sizeof(key));
    memcpy(other_key, key, sizeof(key));
    other_key[31] ^= 0x01; /* one bit away */
}

TestSuite(secret_box, .init = setup);

static void seal(const char *secret, char sealed[CRYPTO_SEALED_CHARS])
{
    cr_assert(crypto_secret_seal(key, secret, sealed), "could not seal \"%s\"", secret);
}

/* Fails the test unless sealed opens under key to exactly secret. */
static void expect_opens_to(const char *sealed, const char *secret)
{
    char out[CRYPTO_SECRET_MAX + 1];
    memset(out, 'x', sizeof(out));
    cr_assert(crypto_secret_open(key, sealed, out), "could not open what was sealed");
    cr_expect_str_eq(out, secret);
}

/* Fails the test unless sealed is refused under k, with no decrypted byte in out (at most the
 * NUL that empties it). */
static void expect_refused(const unsigned char *k, const char *sealed, const char *why)
{
    char out[CRYPTO_SECRET_MAX + 1];
    memset(out, 'x', sizeof(out));
    cr_expect_not(crypto_secret_open(k, sealed, out), "opened: %s", why);
    for (size_t i = 0; i < sizeof(out); i++)
        if (out[i] != 'x' && !(i == 0 && out[i] == '\0')) {
            cr_expect_fail("byte %zu of the output was written: %s", i, why);
            break;
        }
}

/* Round trips. */

Test(secret_box, round_trip)
{
    static const char secret[] = "mot de passe: é€🙂 \"'\\ %s";
    char sealed[CRYPTO_SEALED_CHARS];
    seal(secret, sealed);
    /* Standard base64 of nonce, MAC and the secret's bytes. */
    cr_expect_eq(strlen(sealed), sodium_base64_ENCODED_LEN(BOX_OVERHEAD + strlen(secret),
                                                           sodium_base64_VARIANT_ORIGINAL) -
                                     1);
    cr_expect_null(strstr(sealed, "mot de passe"), "the secret shows through");
    expect_opens_to(sealed, secret);
}

Test(secret_box, empty_secret_round_trip)
{
    char sealed[CRYPTO_SEALED_CHARS];
    seal("", sealed);
    cr_expect_eq(strlen(sealed),
                 sodium_base64_ENCODED_LEN(BOX_OVERHEAD, sodium_base64_VARIANT_ORIGINAL) - 1);
    expect_opens_to(sealed, "");
}

Test(secret_box, longest_secret_round_trip_and_one_more_byte_is_refused)
{
    char secret[CRYPTO_SECRET_MAX + 2];
    for (int i = 0; i < CRYPTO_SECRET_MAX + 1; i++)
        secret[i] = (char)('a' + i % 26);
    secret[CRYPTO_SECRET_MAX] = '\0';
    char sealed[CRYPTO_SEALED_CHARS];
    seal(secret, sealed);
    cr_expect_lt(strlen(sealed), CRYPTO_SEALED_CHARS);
    expect_opens_to(sealed, secret);

    secret[CRYPTO_SECRET_MAX] = 'z';
    secret[CRYPTO_SECRET_MAX + 1] = '\0';
    char untouched[CRYPTO_SEALED_CHARS];
    memset(untouched, 0, sizeof(untouched));
    cr_expect_not(crypto_secret_seal(key, secret, untouched), "%d bytes were sealed",
                  CRYPTO_SECRET_MAX + 1);
}

Test(secret_box, each_seal_has_its_own_nonce)
{
    char a[CRYPTO_SEALED_CHARS], b[CRYPTO_SEALED_CHARS];
    seal("même secret", a);
    seal("même secret", b);
    cr_expect_str_neq(a, b, "two seals of one secret are the same text");
    /* The nonces themselves differ, not only the rest. */
    unsigned char bin_a[BOX_OVERHEAD + 32], bin_b[BOX_OVERHEAD + 32];
    size_t len_a, len_b;
    cr_assert(crypto_base64_decode(a, strlen(a), bin_a, sizeof(bin_a), &len_a));
    cr_assert(crypto_base64_decode(b, strlen(b), bin_b, sizeof(bin_b), &len_b));
    cr_expect_neq(memcmp(bin_a, bin_b, crypto_secretbox_NONCEBYTES), 0);
    expect_opens_to(a, "même secret");
    expect_opens_to(b, "même secret");
}

/* What must not open. */

Test(secret_box, another_master_key_cannot_open)
{
    char sealed[CRYPTO_SEALED_CHARS];
    seal("secret", sealed);
    expect_refused(other_key, sealed, "a key one bit away");
    unsigned char zero[CRYPTO_MASTER_KEY_BYTES] = {0};
    expect_refused(zero, sealed, "a zero key");
}

Test(secret_box, the_box_key_is_derived_not_the_master_key)
{
    char sealed[CRYPTO_SEALED_CHARS];
    seal("secret", sealed);
    unsigned char bin[BOX_OVERHEAD + 16], plain[16];
    size_t len;
    cr_assert(crypto_base64_decode(sealed, strlen(sealed), bin, sizeof(bin), &len));
    cr_assert_eq(len, BOX_OVERHEAD + 6);
    cr_expect_neq(crypto_secretbox_open_easy(plain, bin + crypto_secretbox_NONCEBYTES,
                                             len - crypto_secretbox_NONCEBYTES, bin, key),
                  0, "the master key itself opens the box");
}

Test(secret_box, any_changed_byte_is_refused)
{
    char sealed[CRYPTO_SEALED_CHARS];
    seal("secret de la boîte", sealed);
    unsigned char bin[BOX_OVERHEAD + 64];
    size_t len;
    cr_assert(crypto_base64_decode(sealed, strlen(sealed), bin, sizeof(bin), &len));
    /* Each byte in turn, nonce, MAC and ciphertext alike. */
    for (size_t i = 0; i < len; i++) {
        unsigned char changed[sizeof(bin)];
        memcpy(changed, bin, len);
        changed[i] ^= 0x80;
        char text[CRYPTO_SEALED_CHARS];
        crypto_base64(changed, len, text, sizeof(text));
        char why[48];
        snprintf(why, sizeof(why), "byte %zu changed", i);
        expect_refused(key, text, why);
    }
    /* Cut short, lengthened, swapped for another seal's ciphertext. */
    char text[CRYPTO_SEALED_CHARS];
    crypto_base64(bin, len - 1, text, sizeof(text));
    expect_refused(key, text, "last byte cut");
    unsigned char longer[sizeof(bin) + 1];
    memcpy(longer, bin, len);
    longer[len] = 0;
    crypto_base64(longer, len + 1, text, sizeof(text));
    expect_refused(key, text, "a byte added");
    char again[CRYPTO_SEALED_CHARS];
    seal("secret de la boîte", again);
    unsigned char mixed[sizeof(bin)];
    size_t mixed_len;
    cr_assert(crypto_base64_decode(again, strlen(again), mixed, sizeof(mixed), &mixed_len));
    memcpy(mixed, bin, crypto_secretbox_NONCEBYTES); /* this nonce, the other's box */
    crypto_base64(mixed, mixed_len, text, sizeof(text));
    expect_refused(key, text, "nonce of another seal");
}

Test(secret_box, malformed_texts_are_refused)
{
    char sealed[CRYPTO_SEALED_CHARS];
    seal("secret", sealed);
    expect_refused(key, NULL, "NULL");
    expect_refused(key, "", "empty text");
    expect_refused(key, "c2VjcmV0", "base64 shorter than nonce and MAC");
    char text[CRYPTO_SEALED_CHARS + 8];
    snprintf(text, sizeof(text), "%s\n", sealed);
    expect_refused(key, text, "a trailing line end");
    snprintf(text, sizeof(text), "%s", sealed);
    text[5] = '-'; /* base64url, not standard base64 */
    expect_refused(key, text, "a character outside the alphabet");
    snprintf(text, sizeof(text), "%s", sealed);
    text[3] = (char)0xC3; /* libsodium alone would read it as '/' */
    expect_refused(key, text, "a byte from 0x80 up");
    /* A text decoding to more than nonce, MAC and CRYPTO_SECRET_MAX bytes. */
    unsigned char big[BOX_OVERHEAD + CRYPTO_SECRET_MAX + 3] = {0};
    char big_text[sodium_base64_ENCODED_LEN(sizeof(big), sodium_base64_VARIANT_ORIGINAL)];
    crypto_base64(big, sizeof(big), big_text, sizeof(big_text));
    expect_refused(key, big_text, "longer than any sealed secret");
}

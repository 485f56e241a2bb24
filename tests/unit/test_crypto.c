/* Tokens, token hashes, password hashes and the Ed25519 signing key. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/crypto.h"

static char folder[64];
static char key_path[128];

static void setup(void)
{
    cr_assert(crypto_setup());
    snprintf(folder, sizeof(folder), "%s", "/tmp/pli-crypto-test.XXXXXX");
    cr_assert_not_null(mkdtemp(folder));
    snprintf(key_path, sizeof(key_path), "%s/signing.key", folder);
}

static void teardown(void)
{
    unlink(key_path);
    rmdir(folder);
}

TestSuite(crypto, .init = setup, .fini = teardown);

Test(crypto, token_is_43_base64url_characters)
{
    char t[CRYPTO_TOKEN_CHARS + 1];
    crypto_token_new(t);
    cr_assert_eq(strlen(t), 43);
    for (size_t i = 0; i < strlen(t); i++)
        cr_assert(isalnum((unsigned char)t[i]) || t[i] == '-' || t[i] == '_',
                  "'%c' is not base64url", t[i]);
}

Test(crypto, tokens_differ)
{
    char a[CRYPTO_TOKEN_CHARS + 1], b[CRYPTO_TOKEN_CHARS + 1];
    crypto_token_new(a);
    crypto_token_new(b);
    cr_assert_str_neq(a, b);
}

Test(crypto, token_hash_is_blake2b_256_hex)
{
    char h[CRYPTO_TOKEN_HASH_HEX + 1], again[CRYPTO_TOKEN_HASH_HEX + 1];
    crypto_token_hash("abc", 3, h);
    cr_assert_str_eq(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    crypto_token_hash("abc", 3, again);
    cr_assert_str_eq(h, again);
    crypto_token_hash("abd", 3, again);
    cr_assert_str_neq(h, again);
    cr_assert_eq(strlen(again), 64);
    for (int i = 0; i < 64; i++)
        cr_assert(isxdigit((unsigned char)again[i]) && !isupper((unsigned char)again[i]));
}

Test(crypto, password_hash_verifies_only_the_password, .timeout = 30)
{
    char stored[crypto_pwhash_STRBYTES];
    cr_assert(crypto_password_hash("correct horse", stored));
    cr_assert_eq(strncmp(stored, "$argon2id$", 10), 0, "%s", stored);
    cr_assert(crypto_password_verify(stored, "correct horse"));
    cr_assert_not(crypto_password_verify(stored, "correct horse "));
    cr_assert_not(crypto_password_verify(stored, ""));
    cr_assert_not(crypto_password_needs_rehash(stored));
    char other[crypto_pwhash_STRBYTES];
    cr_assert(crypto_password_hash("correct horse", other));
    cr_assert_str_neq(stored, other, "hashes must be salted");
}

static char *read_all(const char *path)
{
    static char text[256];
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

Test(crypto, signing_key_created_once_with_mode_0600)
{
    bool created = false;
    cr_assert(crypto_signing_key_create(key_path, &created));
    cr_assert(created);
    struct stat st;
    cr_assert_eq(stat(key_path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
    char first[256];
    snprintf(first, sizeof(first), "%s", read_all(key_path));

    cr_assert(crypto_signing_key_create(key_path, &created), "a second create must succeed");
    cr_assert_not(created);
    cr_assert_str_eq(read_all(key_path), first, "a second create must keep the key");
}

Test(crypto, signing_key_load_derives_id_and_signs)
{
    bool created;
    cr_assert(crypto_signing_key_create(key_path, &created));
    struct signing_key key, again;
    cr_assert(crypto_signing_key_load(key_path, &key));
    cr_assert_eq(strlen(key.id), 16);
    for (int i = 0; i < 16; i++)
        cr_assert(isxdigit((unsigned char)key.id[i]));
    unsigned char digest[crypto_hash_sha256_BYTES];
    char expected[17];
    crypto_hash_sha256(digest, key.public_key, sizeof(key.public_key));
    sodium_bin2hex(expected, sizeof(expected), digest, 8);
    cr_assert_str_eq(key.id, expected);

    cr_assert(crypto_signing_key_load(key_path, &again));
    cr_assert_str_eq(again.id, key.id, "loading twice gives another key");

    const unsigned char msg[] = "signed message";
    unsigned char sig[crypto_sign_BYTES];
    cr_assert_eq(crypto_sign_detached(sig, NULL, msg, sizeof(msg), key.secret_key), 0);
    cr_assert_eq(crypto_sign_verify_detached(sig, msg, sizeof(msg), key.public_key), 0);
    unsigned char tampered[sizeof(msg)];
    memcpy(tampered, msg, sizeof(msg));
    tampered[0] ^= 1;
    cr_assert_neq(crypto_sign_verify_detached(sig, tampered, sizeof(msg), key.public_key), 0);
}

Test(crypto, signing_key_load_refuses_missing_or_garbage)
{
    struct signing_key key;
    cr_assert_not(crypto_signing_key_load(key_path, &key), "no file yet");
    FILE *f = fopen(key_path, "w");
    cr_assert_not_null(f);
    fputs("not base64 at all!\n", f);
    fclose(f);
    cr_assert_not(crypto_signing_key_load(key_path, &key));
    f = fopen(key_path, "w");
    fputs("c2hvcnQ=\n", f); /* valid base64, too short for a seed */
    fclose(f);
    cr_assert_not(crypto_signing_key_load(key_path, &key));
}

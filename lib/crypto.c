#include "lib/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PWHASH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PWHASH_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

bool crypto_setup(void)
{
    return sodium_init() >= 0;
}

void crypto_token_new(char out[CRYPTO_TOKEN_CHARS + 1])
{
    unsigned char raw[CRYPTO_TOKEN_BYTES];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, CRYPTO_TOKEN_CHARS + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void crypto_token_hash(const char *token, size_t len, char out[CRYPTO_TOKEN_HASH_HEX + 1])
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)token, len, NULL, 0);
    sodium_bin2hex(out, CRYPTO_TOKEN_HASH_HEX + 1, digest, sizeof(digest));
}

bool crypto_password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str(out, password, strlen(password), PWHASH_OPSLIMIT,
                             PWHASH_MEMLIMIT) == 0;
}

bool crypto_password_verify(const char *stored, const char *password)
{
    return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

void crypto_password_burn(const char *password)
{
    /* A hash of a random secret made once per process: verifying against it costs what a
     * real verification costs, so unknown e-mails answer as slowly as wrong passwords. */
    static char decoy[crypto_pwhash_STRBYTES];
    if (!decoy[0]) {
        char secret[CRYPTO_TOKEN_CHARS + 1];
        crypto_token_new(secret);
        if (!crypto_password_hash(secret, decoy))
            return;
    }
    (void)crypto_password_verify(decoy, password);
}

bool crypto_password_needs_rehash(const char *stored)
{
    return crypto_pwhash_str_needs_rehash(stored, PWHASH_OPSLIMIT, PWHASH_MEMLIMIT) != 0;
}

/* Creates a file holding nbytes of fresh random data in base64 (mode 0600) unless it exists. */
static bool key_file_create(const char *path, size_t nbytes, bool *created)
{
    *created = false;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return errno == EEXIST;
    unsigned char raw[CRYPTO_KEY_FILE_MAX];
    char text[sodium_base64_ENCODED_LEN(CRYPTO_KEY_FILE_MAX, sodium_base64_VARIANT_ORIGINAL)];
    randombytes_buf(raw, nbytes);
    sodium_bin2base64(text, sizeof(text), raw, nbytes, sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(raw, sizeof(raw));
    size_t len = strlen(text);
    text[len] = '\n';
    bool ok = write(fd, text, len + 1) == (ssize_t)(len + 1) && fsync(fd) == 0;
    sodium_memzero(text, sizeof(text));
    ok = close(fd) == 0 && ok;
    if (!ok)
        unlink(path);
    *created = ok;
    return ok;
}

/* Reads exactly nbytes of base64 data from a key file. */
bool crypto_base64_decode(const char *text, size_t text_len, unsigned char *out, size_t cap,
                          size_t *len)
{
    /* libsodium reads any byte from 0x80 up as '/': screen the alphabet first, so that one
     * value has one spelling. */
    for (size_t i = 0; i < text_len; i++) {
        char c = text[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '='))
            return false;
    }
    return sodium_base642bin(out, cap, text, text_len, NULL, len, NULL,
                             sodium_base64_VARIANT_ORIGINAL) == 0;
}

static bool key_file_load(const char *path, unsigned char *out, size_t nbytes)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char text[128] = {0};
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        text[--n] = '\0';
    size_t got = 0;
    bool ok = crypto_base64_decode(text, n, out, nbytes, &got) && got == nbytes;
    sodium_memzero(text, sizeof(text));
    return ok;
}

bool crypto_signing_key_create(const char *path, bool *created)
{
    return key_file_create(path, crypto_sign_SEEDBYTES, created);
}

bool crypto_signing_key_load(const char *path, struct signing_key *key)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    bool ok = key_file_load(path, seed, sizeof(seed)) &&
              crypto_sign_seed_keypair(key->public_key, key->secret_key, seed) == 0;
    sodium_memzero(seed, sizeof(seed));
    if (!ok)
        return false;
    /* The key id: the first 8 bytes of SHA-256 of the public key, in hex. */
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, key->public_key, sizeof(key->public_key));
    sodium_bin2hex(key->id, sizeof(key->id), digest, CRYPTO_KEY_ID_HEX / 2);
    return true;
}

bool crypto_master_key_create(const char *path, bool *created)
{
    return key_file_create(path, CRYPTO_MASTER_KEY_BYTES, created);
}

bool crypto_master_key_load(const char *path, unsigned char key[CRYPTO_MASTER_KEY_BYTES])
{
    return key_file_load(path, key, CRYPTO_MASTER_KEY_BYTES);
}

static void link_mac(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *purpose,
                     const char *id, int version, unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    char message[256];
    int len = snprintf(message, sizeof(message), "%s:%s:%d", purpose, id, version);
    crypto_auth_hmacsha256(mac, (const unsigned char *)message, (size_t)len, key);
}

void crypto_link_token(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *purpose,
                       const char *id, int version, char out[CRYPTO_TOKEN_CHARS + 1])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    link_mac(key, purpose, id, version, mac);
    sodium_bin2base64(out, CRYPTO_TOKEN_CHARS + 1, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void crypto_link_code(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *purpose,
                      const char *id, int version, char out[CRYPTO_CODE_DIGITS + 1])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    link_mac(key, purpose, id, version, mac);
    unsigned long n = ((unsigned long)mac[0] << 24 | (unsigned long)mac[1] << 16 |
                       (unsigned long)mac[2] << 8 | mac[3]) % 1000000UL;
    snprintf(out, CRYPTO_CODE_DIGITS + 1, "%06lu", n);
    sodium_memzero(mac, sizeof(mac));
}

void crypto_base64(const unsigned char *bin, size_t len, char *out, size_t out_size)
{
    sodium_bin2base64(out, out_size, bin, len, sodium_base64_VARIANT_ORIGINAL);
}

void crypto_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

#define SETTINGS_KDF_CONTEXT "settings"
#define SETTINGS_KDF_ID 1

static void settings_key(const unsigned char master[CRYPTO_MASTER_KEY_BYTES],
                         unsigned char key[crypto_secretbox_KEYBYTES])
{
    crypto_kdf_derive_from_key(key, crypto_secretbox_KEYBYTES, SETTINGS_KDF_ID,
                               SETTINGS_KDF_CONTEXT, master);
}

bool crypto_secret_seal(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *secret,
                        char out[CRYPTO_SEALED_CHARS])
{
    size_t len = strlen(secret);
    if (len > CRYPTO_SECRET_MAX)
        return false;
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + CRYPTO_SECRET_MAX];
    unsigned char k[crypto_secretbox_KEYBYTES];
    settings_key(key, k);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)secret, len,
                          box, k);
    sodium_memzero(k, sizeof(k));
    sodium_bin2base64(out, CRYPTO_SEALED_CHARS, box,
                      crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len,
                      sodium_base64_VARIANT_ORIGINAL);
    return true;
}

bool crypto_secret_open(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *sealed,
                        char out[CRYPTO_SECRET_MAX + 1])
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + CRYPTO_SECRET_MAX];
    size_t len;
    if (!sealed || !crypto_base64_decode(sealed, strlen(sealed), box, sizeof(box), &len) ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return false;
    unsigned char k[crypto_secretbox_KEYBYTES];
    settings_key(key, k);
    size_t plain = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    bool ok = crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                         len - crypto_secretbox_NONCEBYTES, box, k) == 0;
    sodium_memzero(k, sizeof(k));
    out[ok ? plain : 0] = '\0';
    return ok;
}

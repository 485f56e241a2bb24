/* libsodium wrappers: tokens, password hashes and the deployment's Ed25519 signing key. */
#ifndef PLI_CRYPTO_H
#define PLI_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sodium.h>

#define CRYPTO_TOKEN_BYTES 32
/* base64url without padding of 32 bytes. */
#define CRYPTO_TOKEN_CHARS 43
#define CRYPTO_TOKEN_HASH_HEX 64
#define CRYPTO_KEY_ID_HEX 16
#define CRYPTO_MASTER_KEY_BYTES 32
#define CRYPTO_KEY_FILE_MAX 64

struct signing_key {
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
    char id[CRYPTO_KEY_ID_HEX + 1];
};

/* Initialises libsodium; false if it cannot be used. */
bool crypto_setup(void);
/* Writes a fresh 256-bit random token as base64url (CRYPTO_TOKEN_CHARS + NUL) into out. */
void crypto_token_new(char out[CRYPTO_TOKEN_CHARS + 1]);
/* Writes the hex BLAKE2b-256 of a token (what the database stores) into out. */
void crypto_token_hash(const char *token, size_t len, char out[CRYPTO_TOKEN_HASH_HEX + 1]);
/* Hashes a password with Argon2id; false on failure (out of memory). */
bool crypto_password_hash(const char *password, char out[crypto_pwhash_STRBYTES]);
/* True when password matches the stored hash. */
bool crypto_password_verify(const char *stored, const char *password);
/* Spends the same effort as a verification, for unknown accounts. */
void crypto_password_burn(const char *password);
/* True when the stored hash was made with weaker limits than today's. */
bool crypto_password_needs_rehash(const char *stored);
/* Creates the seed file at path (mode 0600) unless it exists; false on error. *created tells. */
bool crypto_signing_key_create(const char *path, bool *created);
/* Loads the seed file at path and derives the key pair and its id; false on error. */
bool crypto_signing_key_load(const char *path, struct signing_key *key);
/* Creates the master key file (mode 0600) unless it exists; *created tells. */
bool crypto_master_key_create(const char *path, bool *created);
/* Loads the master key: the secret behind link tokens and encrypted settings. */
bool crypto_master_key_load(const char *path, unsigned char key[CRYPTO_MASTER_KEY_BYTES]);
/* Derives the link token of an object (e-mail links): HMAC-SHA256 of "purpose:id:version"
 * under the master key, base64url. The database keeps only its hash; pli-jobs derives it again
 * when it writes the e-mail, so no usable token is ever stored. A new version kills the old. */
void crypto_link_token(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *purpose,
                       const char *id, int version, char out[CRYPTO_TOKEN_CHARS + 1]);
#define CRYPTO_CODE_DIGITS 6
/* Derives a six-digit one-time code the same way as crypto_link_token: nothing is stored, and
 * a new version gives a new code. */
void crypto_link_code(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *purpose,
                      const char *id, int version, char out[CRYPTO_CODE_DIGITS + 1]);
/* The most bytes of a secret setting (a mailbox password). */
#define CRYPTO_SECRET_MAX 256
/* Room for a sealed secret as text: base64 of nonce, MAC and CRYPTO_SECRET_MAX bytes. */
#define CRYPTO_SEALED_CHARS 512
/* Seals a secret setting with crypto_secretbox under a key derived from the master key
 * ("settings" context): base64 of nonce || ciphertext. False when the secret is too long. */
bool crypto_secret_seal(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *secret,
                        char out[CRYPTO_SEALED_CHARS]);
/* Opens what crypto_secret_seal made; false when it was not sealed with this master key. */
bool crypto_secret_open(const unsigned char key[CRYPTO_MASTER_KEY_BYTES], const char *sealed,
                        char out[CRYPTO_SECRET_MAX + 1]);
/* Writes the hex SHA-256 of data (64 chars + NUL) into out. */
void crypto_sha256_hex(const void *data, size_t len, char out[65]);
/* Decodes standard (padded) base64 of text_len chars into out (cap bytes); false on any
 * character outside the alphabet or a result longer than cap. *len receives the length. */
bool crypto_base64_decode(const char *text, size_t text_len, unsigned char *out, size_t cap,
                          size_t *len);
/* Writes standard base64 of bin into out (size from sodium_base64_ENCODED_LEN). */
void crypto_base64(const unsigned char *bin, size_t len, char *out, size_t out_size);

#endif

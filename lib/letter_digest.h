/* The signed digest of a validated letter: canonical JSON bytes and their Ed25519 signature.
 *
 * The document is a JSON object with the keys, sorted: attachments [{filename, sha256, size}],
 * body_sha256, key_id, kind, letter_id, recipients [{city, company, country, email, first_name,
 * last_name, line1, line2, postal_code, status}], reference, subject, submitted_at, submitted_by,
 * team_id, v (1), validated_at, validated_by. It is serialised compactly, keys sorted, non-ASCII
 * characters escaped (\uXXXX), and those exact bytes are signed: a verifier needs nothing but
 * them, the signature and the public key. */
#ifndef PLI_LETTER_DIGEST_H
#define PLI_LETTER_DIGEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/crypto.h"

#define LETTER_DIGEST_VERSION 1

/* Serialises the document canonically; the caller frees the result. */
char *letter_digest_serialise(const json_t *document, size_t *len);
/* Signs bytes with the deployment key. */
void letter_digest_sign(const struct signing_key *key, const char *payload, size_t len,
                        unsigned char signature[crypto_sign_BYTES]);
/* True when signature is valid for payload under public_key. */
bool letter_digest_verify(const unsigned char public_key[crypto_sign_PUBLICKEYBYTES],
                          const char *payload, size_t len,
                          const unsigned char signature[crypto_sign_BYTES]);

#endif

/* Signed JSON documents: canonical bytes and their Ed25519 signature under the deployment key.
 *
 * A document is serialised compactly, keys sorted, non-ASCII characters escaped (\uXXXX), and
 * those exact bytes are signed: a verifier needs nothing but them, the signature and the public
 * key (published at GET /api/v1/keys).
 *
 * Two documents are signed this way. The validated letter's digest (version 1) has the keys:
 * attachments [{filename, sha256, size}], body_sha256, key_id, kind, letter_id, recipients
 * [{city, company, country, email, first_name, last_name, line1, line2, postal_code, status}],
 * reference, subject, submitted_at, submitted_by, team_id, v (1), validated_at, validated_by.
 * Delivery proofs are described in lib/proof_record.h. */
#ifndef PLI_SIGNED_JSON_H
#define PLI_SIGNED_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/crypto.h"

#define LETTER_DIGEST_VERSION 1

/* Serialises the document canonically; the caller frees the result. */
char *signed_json_serialise(const json_t *document, size_t *len);
/* Signs bytes with the deployment key. */
void signed_json_sign(const struct signing_key *key, const char *payload, size_t len,
                      unsigned char signature[crypto_sign_BYTES]);
/* True when signature is valid for payload under public_key. */
bool signed_json_verify(const unsigned char public_key[crypto_sign_PUBLICKEYBYTES],
                        const char *payload, size_t len,
                        const unsigned char signature[crypto_sign_BYTES]);

#endif

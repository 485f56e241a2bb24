/* The deployment's public signing keys as published (GET /api/v1/keys, `pli public-keys`):
 * {"keys": [{"id", "alg": "Ed25519", "public_key": base64}]}, the document `pli verify-letter`
 * and `pli verify-proof` take with --keys. */
#ifndef PLI_PUBLISHED_KEYS_H
#define PLI_PUBLISHED_KEYS_H

#include <jansson.h>

#include "lib/crypto.h"

/* Builds the published keys document for the signing key; NULL when out of memory. */
json_t *published_keys_json(const struct signing_key *key);

#endif

/* What the offline verifiers of the pli command share: base64 and the published keys. */
#ifndef PLI_CLI_KEYS_H
#define PLI_CLI_KEYS_H

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>

/* Decodes standard base64 into out; returns the length, or -1. */
long cli_base64_decode(const char *text, unsigned char *out, size_t size);
/* Finds the public key with this id in a keys document (GET /api/v1/keys). */
bool cli_public_key_for(const json_t *keys, const char *key_id,
                        unsigned char public_key[crypto_sign_PUBLICKEYBYTES]);
/* Decodes a base64 field into a sodium_malloc'ed buffer (free with sodium_free); NULL on bad
 * input. *len receives the length. */
unsigned char *cli_base64_field(const json_t *object, const char *field, size_t *len);

#endif

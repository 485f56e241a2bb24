#include "lib/signed_json.h"

#include <string.h>

char *signed_json_serialise(const json_t *document, size_t *len)
{
    char *text = json_dumps(document, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (text)
        *len = strlen(text);
    return text;
}

void signed_json_sign(const struct signing_key *key, const char *payload, size_t len,
                        unsigned char signature[crypto_sign_BYTES])
{
    crypto_sign_detached(signature, NULL, (const unsigned char *)payload, len, key->secret_key);
}

bool signed_json_verify(const unsigned char public_key[crypto_sign_PUBLICKEYBYTES],
                          const char *payload, size_t len,
                          const unsigned char signature[crypto_sign_BYTES])
{
    return crypto_sign_verify_detached(signature, (const unsigned char *)payload, len,
                                       public_key) == 0;
}

#include "lib/published_keys.h"

json_t *published_keys_json(const struct signing_key *key)
{
    char public_key[sodium_base64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES,
                                              sodium_base64_VARIANT_ORIGINAL)];
    crypto_base64(key->public_key, sizeof(key->public_key), public_key, sizeof(public_key));
    return json_pack("{s:[{s:s, s:s, s:s}]}", "keys", "id", key->id, "alg", "Ed25519",
                     "public_key", public_key);
}

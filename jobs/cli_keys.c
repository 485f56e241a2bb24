#include "jobs/cli_keys.h"

#include <string.h>

#include "lib/crypto.h"

long cli_base64_decode(const char *text, unsigned char *out, size_t size)
{
    size_t len = 0;
    if (!text || !crypto_base64_decode(text, strlen(text), out, size, &len))
        return -1;
    return (long)len;
}

bool cli_public_key_for(const json_t *keys, const char *key_id,
                        unsigned char public_key[crypto_sign_PUBLICKEYBYTES])
{
    size_t i;
    json_t *key;
    json_array_foreach (json_object_get(keys, "keys"), i, key) {
        const char *id = json_string_value(json_object_get(key, "id"));
        if (id && key_id && strcmp(id, key_id) == 0)
            return cli_base64_decode(json_string_value(json_object_get(key, "public_key")),
                                     public_key,
                                     crypto_sign_PUBLICKEYBYTES) == crypto_sign_PUBLICKEYBYTES;
    }
    return false;
}

unsigned char *cli_base64_field(const json_t *object, const char *field, size_t *len)
{
    const char *text = json_string_value(json_object_get(object, field));
    size_t cap = text ? strlen(text) : 0;
    unsigned char *out = sodium_malloc(cap + 1);
    long n = out ? cli_base64_decode(text, out, cap + 1) : -1;
    if (n < 0) {
        if (out)
            sodium_free(out);
        return NULL;
    }
    *len = (size_t)n;
    return out;
}

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "jobs/cli.h"
#include "lib/letter_digest.h"

/* Decodes standard base64 into out; returns the length, or -1. */
static long from_base64(const char *text, unsigned char *out, size_t size)
{
    size_t len = 0;
    if (!text || sodium_base642bin(out, size, text, strlen(text), NULL, &len, NULL,
                                   sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    return (long)len;
}

/* Finds the public key with this id in a keys document. */
static bool public_key_for(const json_t *keys, const char *key_id,
                           unsigned char public_key[crypto_sign_PUBLICKEYBYTES])
{
    size_t i;
    json_t *key;
    json_array_foreach (json_object_get(keys, "keys"), i, key) {
        const char *id = json_string_value(json_object_get(key, "id"));
        if (id && key_id && strcmp(id, key_id) == 0)
            return from_base64(json_string_value(json_object_get(key, "public_key")), public_key,
                               crypto_sign_PUBLICKEYBYTES) == crypto_sign_PUBLICKEYBYTES;
    }
    return false;
}

static int verify(const json_t *keys, const json_t *letter)
{
    const json_t *validation = json_object_get(letter, "validation");
    const char *key_id = json_string_value(json_object_get(validation, "key_id"));
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    if (!public_key_for(keys, key_id, public_key)) {
        fprintf(stderr, "pli verify-letter: no published key %s\n", key_id ? key_id : "(none)");
        return 1;
    }
    const char *payload_b64 = json_string_value(json_object_get(validation, "signed_payload"));
    size_t cap = payload_b64 ? strlen(payload_b64) : 0;
    unsigned char *payload = sodium_malloc(cap + 1);
    unsigned char signature[crypto_sign_BYTES];
    long len = payload ? from_base64(payload_b64, payload, cap + 1) : -1;
    bool ok = len >= 0 &&
              from_base64(json_string_value(json_object_get(validation, "signature")), signature,
                          sizeof(signature)) == crypto_sign_BYTES &&
              letter_digest_verify(public_key, (const char *)payload, (size_t)len, signature);
    if (ok) {
        json_t *signed_doc = json_loadb((const char *)payload, (size_t)len, 0, NULL);
        printf("valid signature by key %s\n", key_id);
        printf("letter %s (%s) \"%s\"\n", json_string_value(json_object_get(signed_doc, "letter_id")),
               json_string_value(json_object_get(signed_doc, "kind")),
               json_string_value(json_object_get(signed_doc, "subject")));
        printf("validated by %s at %s, %zu recipient(s), %zu attachment(s)\n",
               json_string_value(json_object_get(signed_doc, "validated_by")),
               json_string_value(json_object_get(signed_doc, "validated_at")),
               json_array_size(json_object_get(signed_doc, "recipients")),
               json_array_size(json_object_get(signed_doc, "attachments")));
        /* The letter as served must say what was signed. */
        const char *id = json_string_value(json_object_get(letter, "id"));
        const char *signed_id = json_string_value(json_object_get(signed_doc, "letter_id"));
        ok = id && signed_id && strcmp(id, signed_id) == 0;
        if (!ok)
            printf("but the signature is for another letter\n");
        json_decref(signed_doc);
    } else {
        printf("INVALID: the signature does not match the signed bytes\n");
    }
    sodium_free(payload);
    return ok ? 0 : 1;
}

int cli_verify_letter(int argc, char **argv)
{
    if (argc != 5 || strcmp(argv[2], "--keys") != 0) {
        fprintf(stderr, "usage: pli verify-letter --keys KEYS.json LETTER.json\n");
        return 2;
    }
    json_error_t error;
    json_t *keys = json_load_file(argv[3], 0, &error);
    json_t *letter = keys ? json_load_file(argv[4], 0, &error) : NULL;
    if (!keys || !letter) {
        fprintf(stderr, "pli verify-letter: %s: %s\n", error.source, error.text);
        json_decref(keys);
        return 2;
    }
    int rc = verify(keys, letter);
    json_decref(keys);
    json_decref(letter);
    return rc;
}

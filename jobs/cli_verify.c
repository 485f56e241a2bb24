#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "jobs/cli.h"
#include "jobs/cli_keys.h"
#include "lib/signed_json.h"

static int verify(const json_t *keys, const json_t *letter)
{
    const json_t *validation = json_object_get(letter, "validation");
    const char *key_id = json_string_value(json_object_get(validation, "key_id"));
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    if (!cli_public_key_for(keys, key_id, public_key)) {
        fprintf(stderr, "pli verify-letter: no published key %s\n", key_id ? key_id : "(none)");
        return 1;
    }
    size_t len = 0;
    unsigned char *payload = cli_base64_field(validation, "signed_payload", &len);
    unsigned char signature[crypto_sign_BYTES];
    bool ok = payload &&
              cli_base64_decode(json_string_value(json_object_get(validation, "signature")),
                                signature, sizeof(signature)) == crypto_sign_BYTES &&
              signed_json_verify(public_key, (const char *)payload, len, signature);
    if (ok) {
        json_t *signed_doc = json_loadb((const char *)payload, len, 0, NULL);
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
    if (payload)
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

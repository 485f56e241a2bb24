/* pli verify-proof: checks downloaded JSON proofs offline: each signature against the published
 * key, that the served fields say what was signed, and the chain links between the proofs given
 * (all of them from the first, to check the whole chain). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/cli.h"
#include "jobs/cli_keys.h"
#include "lib/proof_record.h"
#include "lib/signed_json.h"

/* The most proofs checked in one run (a delivery has a handful). */
#define VERIFY_PROOFS_MAX 64

struct checked_proof {
    const char *file;
    unsigned char *payload; /* signed bytes, sodium_malloc'ed */
    size_t len;
    json_t *record;         /* the signed record, parsed */
};

static bool same_text(const json_t *a, const char *key_a, const json_t *b, const char *key_b)
{
    const json_t *x = json_object_get(a, key_a), *y = json_object_get(b, key_b);
    if (json_is_null(x) || json_is_null(y) || !x || !y)
        return (!x || json_is_null(x)) && (!y || json_is_null(y));
    return json_equal(x, y);
}

/* Verifies one downloaded proof; false with the reason printed. */
static bool check_one(const json_t *keys, const json_t *served, struct checked_proof *p)
{
    const char *key_id = json_string_value(json_object_get(served, "key_id"));
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES], signature[crypto_sign_BYTES];
    if (!cli_public_key_for(keys, key_id, public_key)) {
        printf("%s: INVALID: no published key %s\n", p->file, key_id ? key_id : "(none)");
        return false;
    }
    p->payload = cli_base64_field(served, "signed_payload", &p->len);
    if (!p->payload ||
        cli_base64_decode(json_string_value(json_object_get(served, "signature")), signature,
                          sizeof(signature)) != crypto_sign_BYTES) {
        printf("%s: INVALID: signed_payload or signature is not base64\n", p->file);
        return false;
    }
    if (!signed_json_verify(public_key, (const char *)p->payload, p->len, signature)) {
        printf("%s: INVALID: the signature does not match the signed bytes\n", p->file);
        return false;
    }
    p->record = json_loadb((const char *)p->payload, p->len, 0, NULL);
    char sha256[65];
    crypto_sha256_hex(p->payload, p->len, sha256);
    const char *served_sha = json_string_value(json_object_get(served, "sha256"));
    if (!p->record || !served_sha || strcmp(served_sha, sha256) != 0 ||
        !same_text(served, "id", p->record, "evidence_id") ||
        !same_text(served, "seq", p->record, "seq") ||
        !same_text(served, "previous_sha256", p->record, "previous_sha256") ||
        !same_text(served, "type", p->record, "type")) {
        printf("%s: INVALID: the served fields differ from what was signed\n", p->file);
        return false;
    }
    printf("%s: valid signature by key %s: %s (%s) #%lld of delivery %s at %s\n", p->file,
           key_id, json_string_value(json_object_get(p->record, "type")),
           json_string_value(json_object_get(p->record, "event")),
           (long long)json_integer_value(json_object_get(p->record, "seq")),
           json_string_value(json_object_get(p->record, "delivery_id")),
           json_string_value(json_object_get(p->record, "occurred_at")));
    return true;
}

static int by_seq(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(((const struct checked_proof *)a)->record, "seq"));
    json_int_t y = json_integer_value(json_object_get(((const struct checked_proof *)b)->record, "seq"));
    return (x > y) - (x < y);
}

/* Checks the chain of the verified proofs, in seq order. */
static bool check_chain(struct checked_proof *proofs, int n)
{
    qsort(proofs, (size_t)n, sizeof(proofs[0]), by_seq);
    const json_t *records[VERIFY_PROOFS_MAX];
    const char *payloads[VERIFY_PROOFS_MAX];
    size_t lens[VERIFY_PROOFS_MAX];
    for (int i = 0; i < n; i++) {
        records[i] = proofs[i].record;
        payloads[i] = (const char *)proofs[i].payload;
        lens[i] = proofs[i].len;
    }
    char why[256];
    if (!proof_record_check_chain(records, payloads, lens, (size_t)n, why, sizeof(why))) {
        printf("INVALID chain: %s\n", why);
        return false;
    }
    json_int_t first = json_integer_value(json_object_get(proofs[0].record, "seq"));
    if (first == 1)
        printf("chain of %d proof(s) intact, from the first to the last given\n", n);
    else
        printf("chain intact from #%lld to #%lld; proofs #1 to #%lld were not given, so the link "
               "of #%lld to them is not checked\n",
               (long long)first, (long long)first + n - 1, (long long)first - 1, (long long)first);
    return true;
}

int cli_verify_proof(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[2], "--keys") != 0 || argc - 4 > VERIFY_PROOFS_MAX) {
        fprintf(stderr, "usage: pli verify-proof --keys KEYS.json PROOF.json [PROOF.json...]\n"
                        "       (give every proof of a delivery to check their chain)\n");
        return 2;
    }
    json_error_t error;
    json_t *keys = json_load_file(argv[3], 0, &error);
    if (!keys) {
        fprintf(stderr, "pli verify-proof: %s: %s\n", error.source, error.text);
        return 2;
    }
    static struct checked_proof proofs[VERIFY_PROOFS_MAX];
    int n = argc - 4;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        proofs[i] = (struct checked_proof){.file = argv[4 + i]};
        json_t *served = json_load_file(argv[4 + i], 0, &error);
        if (!served) {
            printf("%s: INVALID: %s\n", argv[4 + i], error.text);
            ok = false;
            continue;
        }
        ok = check_one(keys, served, &proofs[i]) && ok;
        json_decref(served);
    }
    if (ok)
        ok = check_chain(proofs, n);
    for (int i = 0; i < n; i++) {
        if (proofs[i].payload)
            sodium_free(proofs[i].payload);
        json_decref(proofs[i].record);
    }
    json_decref(keys);
    return ok ? 0 : 1;
}

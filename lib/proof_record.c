#include "lib/proof_record.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "lib/crypto.h"

static const char *const context_keys[] = {"letter_id",      "delivery_id", "team_id", "kind",
                                           "content_sha256", "sender",      "recipient"};

json_t *proof_record_new(const json_t *context, const struct proof_fields *f)
{
    json_t *doc = json_object();
    if (!doc)
        return NULL;
    for (size_t i = 0; i < sizeof(context_keys) / sizeof(context_keys[0]); i++) {
        json_t *v = json_object_get(context, context_keys[i]);
        json_object_set_new(doc, context_keys[i], v ? json_deep_copy(v) : json_null());
    }
    json_object_set_new(doc, "v", json_integer(PROOF_RECORD_VERSION));
    json_object_set_new(doc, "evidence_id", json_string(f->evidence_id));
    json_object_set_new(doc, "type", json_string(proof_type_name(f->type)));
    json_object_set_new(doc, "event", json_string(proof_event_name(f->type, f->channel)));
    json_object_set_new(doc, "seq", json_integer(f->seq));
    json_object_set_new(doc, "previous_sha256",
                        f->previous_sha256 ? json_string(f->previous_sha256) : json_null());
    json_object_set_new(doc, "occurred_at", json_string(f->occurred_at));
    json_object_set_new(doc, "issued_at", json_string(f->issued_at));
    json_object_set_new(doc, "key_id", json_string(f->key_id));
    json_object_set_new(doc, "details",
                        json_is_object(f->details) ? json_deep_copy(f->details) : json_object());
    return doc;
}

void proof_record_new_id(char out[PROOF_ID_CHARS + 1])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, PROOF_ID_CHARS + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

static const char *text_of(const json_t *record, const char *key)
{
    return json_string_value(json_object_get(record, key));
}

bool proof_record_check_chain(const json_t *const *records, const char *const *payloads,
                              const size_t *lens, size_t n, char *why, size_t why_size)
{
    const char *delivery = n ? text_of(records[0], "delivery_id") : NULL;
    json_int_t first = n ? json_integer_value(json_object_get(records[0], "seq")) : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *r = records[i];
        const char *this_delivery = text_of(r, "delivery_id");
        if (!delivery || !this_delivery || strcmp(delivery, this_delivery) != 0) {
            snprintf(why, why_size, "proof %zu belongs to another delivery", i + 1);
            return false;
        }
        json_int_t seq = json_integer_value(json_object_get(r, "seq"));
        if (first < 1 || seq != first + (json_int_t)i) {
            snprintf(why, why_size, "proof #%lld is not followed by #%lld (a proof is missing)",
                     (long long)(first + (json_int_t)i - 1), (long long)(first + (json_int_t)i));
            return false;
        }
        const json_t *previous = json_object_get(r, "previous_sha256");
        if (seq == 1) {
            if (!json_is_null(previous)) {
                snprintf(why, why_size, "the first proof names a predecessor");
                return false;
            }
            continue;
        }
        if (i == 0)
            continue; /* its predecessor was not given: its link cannot be checked */
        char expected[65];
        crypto_sha256_hex(payloads[i - 1], lens[i - 1], expected);
        if (!json_is_string(previous) || strcmp(json_string_value(previous), expected) != 0) {
            snprintf(why, why_size, "proof #%lld does not follow proof #%lld (chain broken)",
                     (long long)seq, (long long)seq - 1);
            return false;
        }
    }
    return true;
}

/* Proof records: what a new record holds, and the chain check pli verify-proof relies on. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lib/proof_record.h"
#include "lib/signed_json.h"

#define CHAIN 3

static json_t *context(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:{s:s}}", "letter_id",
                     "11111111-1111-4111-8111-111111111111", "delivery_id",
                     "22222222-2222-4222-8222-222222222222", "team_id",
                     "33333333-3333-4333-8333-333333333333", "kind", "lre", "content_sha256",
                     "ab", "sender", "name", "Anne Martin", "recipient", "last_name", "Lefèvre");
}

struct chain {
    json_t *records[CHAIN];
    char *payloads[CHAIN];
    size_t lens[CHAIN];
};

/* Builds deposit, notification, acceptance, each naming the SHA-256 of the previous bytes. */
static void build_chain(struct chain *c)
{
    static const enum proof_type types[CHAIN] = {PROOF_DEPOSIT, PROOF_NOTIFICATION,
                                                 PROOF_ACCEPTANCE};
    json_t *ctx = context();
    char previous[65] = "";
    for (int i = 0; i < CHAIN; i++) {
        char id[PROOF_ID_CHARS + 1];
        proof_record_new_id(id);
        struct proof_fields f = {types[i], CHANNEL_REGISTERED_EMAIL, id, i + 1,
                                 i ? previous : NULL, "2026-11-23T10:00:00.000000Z",
                                 "2026-11-23T10:00:01.000000Z", "0123456789abcdef", NULL};
        c->records[i] = proof_record_new(ctx, &f);
        c->payloads[i] = signed_json_serialise(c->records[i], &c->lens[i]);
        crypto_sha256_hex(c->payloads[i], c->lens[i], previous);
    }
    json_decref(ctx);
}

static void free_chain(struct chain *c)
{
    for (int i = 0; i < CHAIN; i++) {
        json_decref(c->records[i]);
        free(c->payloads[i]);
    }
}

static bool check(struct chain *c, size_t n)
{
    char why[256];
    return proof_record_check_chain((const json_t *const *)c->records,
                                    (const char *const *)c->payloads, c->lens, n, why,
                                    sizeof(why));
}

Test(proof_record, holds_every_field_of_the_evidence)
{
    struct chain c;
    build_chain(&c);
    const json_t *r = c.records[1];
    cr_assert_eq(json_integer_value(json_object_get(r, "v")), PROOF_RECORD_VERSION);
    cr_assert_str_eq(json_string_value(json_object_get(r, "type")), "notification");
    cr_assert_str_eq(json_string_value(json_object_get(r, "event")), "NotificationForAcceptance");
    cr_assert_eq(json_integer_value(json_object_get(r, "seq")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(r, "kind")), "lre");
    cr_assert(json_is_object(json_object_get(r, "details")));
    cr_assert(json_is_object(json_object_get(r, "recipient")));
    cr_assert(json_is_null(json_object_get(c.records[0], "previous_sha256")));
    cr_assert_eq(strlen(json_string_value(json_object_get(r, "evidence_id"))), PROOF_ID_CHARS);
    /* canonical bytes: compact, sorted, non-ASCII escaped */
    cr_assert_null(strstr(c.payloads[1], ", "));
    cr_assert_null(strstr(c.payloads[1], "\": "));
    cr_assert_not_null(strstr(c.payloads[1], "Lef\\u00E8vre"));
    free_chain(&c);
}

Test(proof_record, an_intact_chain_checks)
{
    struct chain c;
    build_chain(&c);
    cr_assert(check(&c, CHAIN));
    cr_assert(check(&c, 1));
    free_chain(&c);
}

Test(proof_record, a_changed_byte_breaks_the_chain)
{
    struct chain c;
    build_chain(&c);
    c.payloads[0][10] ^= 1;
    cr_assert_not(check(&c, CHAIN));
    free_chain(&c);
}

Test(proof_record, a_missing_link_breaks_the_chain)
{
    struct chain c;
    build_chain(&c);
    json_t *kept = c.records[1];
    c.records[1] = c.records[2];
    c.records[2] = kept;
    cr_assert_not(check(&c, 2), "seq 3 cannot follow seq 1");
    free_chain(&c);
}

Test(proof_record, a_stretch_of_the_chain_checks_its_own_links)
{
    struct chain c;
    build_chain(&c);
    char why[256];
    cr_assert(proof_record_check_chain((const json_t *const *)&c.records[1],
                                       (const char *const *)&c.payloads[1], &c.lens[1], 2, why,
                                       sizeof(why)));
    c.payloads[1][12] ^= 1; /* #3 no longer follows #2 */
    cr_assert_not(proof_record_check_chain((const json_t *const *)&c.records[1],
                                           (const char *const *)&c.payloads[1], &c.lens[1], 2,
                                           why, sizeof(why)));
    free_chain(&c);
}

Test(proof_record, ids_are_fresh_version_4_uuids)
{
    char a[PROOF_ID_CHARS + 1], b[PROOF_ID_CHARS + 1];
    proof_record_new_id(a);
    proof_record_new_id(b);
    cr_assert_str_neq(a, b);
    cr_assert_eq(a[14], '4');
    cr_assert(strchr("89ab", a[19]) != NULL);
}

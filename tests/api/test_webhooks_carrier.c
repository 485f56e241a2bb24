/* The carrier's callbacks (POST /api/v1/webhooks/carriers/{carrier}), signed per Standard
 * Webhooks v1: what is refused before anything is stored (signature, timestamp tolerance,
 * carrier, delivery, proof), replays de-duplicated by webhook id, and events applied by
 * pli-jobs monotonically. Each test follows its own lrar letter to an address the sandbox
 * carrier accepts but never reports on, so that the test alone speaks for the carrier. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/carrier.h"
#include "support/stack.h"
#include "support/testdb.h"

/* An lrar letter deposited with the carrier, whose events only the test sends. */
static void deposited_letter(struct ca_letter *l)
{
    const char *lines[] = {CA_LINE_UNTRACKED};
    ca_send_lrar(l, 1, lines);
    json_decref(ca_wait_status(l, l->delivery[0], "deposited"));
}

/* The delivery's status and proof count as GET shows them now; fills status. */
static size_t current(struct ca_letter *l, char status[32])
{
    struct reply *r = lt_get(&l->admin.c, l->team, l->letter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *d = ca_delivery_of(r->json, l->delivery[0]);
    cr_assert_not_null(d);
    snprintf(status, 32, "%s", lt_str(d, "status"));
    size_t n = json_array_size(json_object_get(d, "proofs"));
    reply_free(r);
    return n;
}

/* Asserts that the callback was refused with this problem and left nothing behind. */
static void expect_refused(struct reply *r, long status, const char *code, const char *id)
{
    reply_expect_problem(r, status, code);
    reply_free(r);
    cr_assert_eq(ca_webhook_rows(id), 0, "a refused callback was stored");
}

/* Asserts that the callback was taken as new. */
static void expect_accepted(struct reply *r)
{
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "accepted", "%s", r->body);
    reply_free(r);
}

/* A small PDF standing for the carrier's acknowledgement of receipt; to free. */
static char *receipt_pdf(const char *delivery_id)
{
    char text[96];
    snprintf(text, sizeof(text), "Avis de reception %s", delivery_id);
    return lt_pdf(text);
}

Test(webhooks_carrier, signed_delivered_event_is_applied_with_its_proof_kept, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *pdf = receipt_pdf(l.delivery[0]), sha[65], id[LT_ID_MAX];
    json_t *proof = ca_inline_proof("acknowledgement_of_receipt", pdf, strlen(pdf), sha);
    char *body = ca_event("delivered", l.delivery[0], NULL, proof);
    ca_webhook_id(id);
    expect_accepted(ca_post_signed(id, body));
    cr_assert_eq(ca_wait_event(id), 1, "the delivered event was not applied");

    json_t *letter = ca_wait_status(&l, l.delivery[0], "delivered");
    json_t *delivery = ca_delivery_of(letter, l.delivery[0]);
    json_t *proofs = json_object_get(delivery, "proofs");
    cr_assert_eq(json_array_size(proofs), 2);
    cr_assert_str_eq(lt_str(json_array_get(proofs, 0), "type"), "deposit");
    cr_assert_str_eq(lt_str(json_array_get(proofs, 1), "type"), "delivery");
    json_t *served = ca_proof(&l, lt_str(json_array_get(proofs, 1), "id"));
    json_t *record = ca_signed_record(served);
    json_t *details = json_object_get(record, "details");
    cr_assert_str_eq(lt_str(details, "carrier_event_id"), id);
    cr_assert_str_eq(lt_str(details, "carrier_proof_sha256"), sha);
    /* The proof states when the carrier says the letter was delivered (to the second). */
    json_t *event = json_loads(body, 0, NULL);
    cr_assert_eq(strncmp(lt_str(record, "occurred_at"), lt_str(event, "occurred_at"), 19), 0,
                 "proof occurred_at %s, event occurred_at %s", lt_str(record, "occurred_at"),
                 lt_str(event, "occurred_at"));
    json_decref(event);

    /* The inline document is kept byte for byte under its SHA-256. */
    size_t len = 0;
    unsigned char *kept = ca_blob(sha, &len);
    cr_assert_not_null(kept, "the carrier's inline proof is not kept");
    cr_assert(len == strlen(pdf) && memcmp(kept, pdf, len) == 0, "the kept proof differs");

    char out[4096];
    int status = ca_verify_proofs(&l, delivery, out, sizeof(out));
    cr_assert_eq(status, 0, "pli verify-proof exited %d:\n%s", status, out);
    cr_assert(strstr(out, "chain of 2 proof(s) intact"), "%s", out);
    free(kept);
    json_decref(record);
    json_decref(served);
    json_decref(letter);
    free(body);
    json_decref(proof);
    free(pdf);
}

Test(webhooks_carrier, timestamp_301_seconds_away_is_refused, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *body = ca_event("delivered", l.delivery[0], NULL, NULL);
    const long offsets[] = {-301, 301};
    for (size_t i = 0; i < 2; i++) {
        char id[LT_ID_MAX], timestamp[CA_TIMESTAMP_MAX], signature[CA_SIGNATURE_MAX];
        ca_webhook_id(id);
        ca_timestamp(offsets[i], timestamp);
        ca_sign(id, timestamp, body, strlen(body), signature);
        expect_refused(ca_post("sandbox", id, timestamp, signature, body, strlen(body)), 401,
                       "webhook_timestamp_out_of_tolerance", id);
    }
    char status[32];
    cr_assert_eq(current(&l, status), 1);
    cr_assert_str_eq(status, "deposited");
    free(body);
}

Test(webhooks_carrier, timestamp_299_seconds_away_is_accepted, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    const char *types[] = {"deposited", "delivered"};
    const long offsets[] = {-299, 299};
    char ids[2][LT_ID_MAX];
    for (size_t i = 0; i < 2; i++) {
        char timestamp[CA_TIMESTAMP_MAX], signature[CA_SIGNATURE_MAX];
        char *body = ca_event(types[i], l.delivery[0], NULL, NULL);
        ca_webhook_id(ids[i]);
        ca_timestamp(offsets[i], timestamp);
        ca_sign(ids[i], timestamp, body, strlen(body), signature);
        expect_accepted(ca_post("sandbox", ids[i], timestamp, signature, body, strlen(body)));
        cr_assert_eq(ca_webhook_rows(ids[i]), 1);
        free(body);
    }
    cr_assert_eq(ca_wait_event(ids[0]), 0, "a repeated deposit was applied");
    cr_assert_eq(ca_wait_event(ids[1]), 1, "the delivered event was not applied");
    json_decref(ca_wait_status(&l, l.delivery[0], "delivered"));
}

Test(webhooks_carrier, body_changed_after_signing_is_refused, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *body = ca_event("delivered", l.delivery[0], NULL, NULL);
    char id[LT_ID_MAX], timestamp[CA_TIMESTAMP_MAX], signature[CA_SIGNATURE_MAX];
    ca_webhook_id(id);
    ca_timestamp(0, timestamp);
    ca_sign(id, timestamp, body, strlen(body), signature);
    /* One byte of the delivery id changes: the body is still a well-formed event. */
    char *hit = strstr(body, l.delivery[0]);
    cr_assert_not_null(hit);
    hit[0] = hit[0] == 'a' ? 'b' : 'a';
    expect_refused(ca_post("sandbox", id, timestamp, signature, body, strlen(body)), 401,
                   "webhook_signature_invalid", id);
    /* The same body, untouched but signed for another id, or not signed at all. */
    hit[0] = l.delivery[0][0];
    char other[LT_ID_MAX];
    ca_webhook_id(other);
    expect_refused(ca_post("sandbox", other, timestamp, signature, body, strlen(body)), 401,
                   "webhook_signature_invalid", other);
    expect_refused(ca_post("sandbox", id, timestamp, NULL, body, strlen(body)), 401,
                   "webhook_signature_invalid", id);
    char status[32];
    cr_assert_eq(current(&l, status), 1);
    cr_assert_str_eq(status, "deposited");
    free(body);
}

Test(webhooks_carrier, any_matching_signature_of_several_is_enough, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *body = ca_event("delivered", l.delivery[0], NULL, NULL);
    char timestamp[CA_TIMESTAMP_MAX], id[LT_ID_MAX], right[CA_SIGNATURE_MAX];
    char wrong1[CA_SIGNATURE_MAX], wrong2[CA_SIGNATURE_MAX], header[256];
    ca_timestamp(0, timestamp);

    /* Every entry wrong (signed for other ids): refused. */
    char decoy[LT_ID_MAX];
    ca_webhook_id(id);
    ca_webhook_id(decoy);
    ca_sign(decoy, timestamp, body, strlen(body), wrong1);
    ca_webhook_id(decoy);
    ca_sign(decoy, timestamp, body, strlen(body), wrong2);
    snprintf(header, sizeof(header), "%s %s", wrong1, wrong2);
    expect_refused(ca_post("sandbox", id, timestamp, header, body, strlen(body)), 401,
                   "webhook_signature_invalid", id);

    /* The first wrong, the second right (a secret being rotated): accepted and applied. */
    ca_sign(id, timestamp, body, strlen(body), right);
    snprintf(header, sizeof(header), "%s %s", wrong1, right);
    expect_accepted(ca_post("sandbox", id, timestamp, header, body, strlen(body)));
    cr_assert_eq(ca_wait_event(id), 1);
    json_decref(ca_wait_status(&l, l.delivery[0], "delivered"));
    free(body);
}

Test(webhooks_carrier, replayed_webhook_id_is_a_duplicate_and_changes_nothing, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *body = ca_event("delivered", l.delivery[0], NULL, NULL);
    char id[LT_ID_MAX], timestamp[CA_TIMESTAMP_MAX], signature[CA_SIGNATURE_MAX];
    ca_webhook_id(id);
    ca_timestamp(0, timestamp);
    ca_sign(id, timestamp, body, strlen(body), signature);
    expect_accepted(ca_post("sandbox", id, timestamp, signature, body, strlen(body)));
    cr_assert_eq(ca_wait_event(id), 1);
    json_decref(ca_wait_status(&l, l.delivery[0], "delivered"));

    /* The very same request again, then the same id re-signed over another event. */
    struct reply *r = ca_post("sandbox", id, timestamp, signature, body, strlen(body));
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "duplicate", "%s", r->body);
    reply_free(r);
    char *other = ca_event("returned", l.delivery[0], NULL, NULL);
    r = ca_post_signed(id, other);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "duplicate", "%s", r->body);
    reply_free(r);

    const char *params[] = {id};
    cr_assert_eq(ca_webhook_rows(id), 1);
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs "
                             "WHERE kind = 'carrier_event' AND payload->>'webhook_id' = $1",
                             1, params),
                 1, "a duplicate queued another job");
    PGresult *stored = testdb_exec("SELECT body->>'type' FROM carrier_webhooks "
                                   "WHERE webhook_id = $1",
                                   1, params);
    cr_assert_str_eq(PQgetvalue(stored, 0, 0), "delivered", "the duplicate replaced the body");
    PQclear(stored);
    cr_assert_eq(ca_wait_event(id), 1, "the event was recorded again");
    char status[32];
    cr_assert_eq(current(&l, status), 2);
    cr_assert_str_eq(status, "delivered");
    free(other);
    free(body);
}

Test(webhooks_carrier, late_events_are_recorded_and_change_nothing, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char delivered[LT_ID_MAX], returned[LT_ID_MAX], deposited[LT_ID_MAX];
    char *body = ca_event("delivered", l.delivery[0], NULL, NULL);
    ca_webhook_id(delivered);
    expect_accepted(ca_post_signed(delivered, body));
    free(body);
    cr_assert_eq(ca_wait_event(delivered), 1);
    json_t *before = ca_wait_status(&l, l.delivery[0], "delivered");
    json_t *proofs_before =
        json_deep_copy(json_object_get(ca_delivery_of(before, l.delivery[0]), "proofs"));

    /* A return after the delivery, with its own proof document, then a late deposit. */
    char *pdf = lt_pdf("Avis de retour tardif"), sha[65];
    json_t *proof = ca_inline_proof("return_notice", pdf, strlen(pdf), sha);
    body = ca_event("returned", l.delivery[0], NULL, proof);
    ca_webhook_id(returned);
    expect_accepted(ca_post_signed(returned, body));
    free(body);
    cr_assert_eq(ca_wait_event(returned), 0, "a return after the delivery was applied");
    body = ca_event("deposited", l.delivery[0], NULL, NULL);
    ca_webhook_id(deposited);
    expect_accepted(ca_post_signed(deposited, body));
    free(body);
    cr_assert_eq(ca_wait_event(deposited), 0, "a late deposit was applied");

    json_t *after = ca_wait_status(&l, l.delivery[0], "delivered");
    json_t *proofs_after = json_object_get(ca_delivery_of(after, l.delivery[0]), "proofs");
    cr_assert(json_equal(proofs_before, proofs_after), "the proofs changed");
    const char *params[] = {l.delivery[0]};
    cr_assert_eq(testdb_long("SELECT count(*) FROM delivery_events WHERE delivery_id = $1 "
                             "AND source = 'carrier' AND NOT applied AND proof_id IS NULL",
                             1, params),
                 2);
    json_decref(after);
    json_decref(proofs_before);
    json_decref(before);
    json_decref(proof);
    free(pdf);
}

Test(webhooks_carrier, unknown_delivery_is_refused, .timeout = 30)
{
    char delivery[LT_ID_MAX], id[LT_ID_MAX];
    ca_uuid(delivery);
    ca_webhook_id(id);
    char *body = ca_event("delivered", delivery, NULL, NULL);
    expect_refused(ca_post_signed(id, body), 422, "unknown_delivery", id);
    free(body);
}

Test(webhooks_carrier, registered_email_delivery_is_not_the_carriers, .timeout = 60)
{
    struct lt_user admin;
    char team[LT_ID_MAX], letter[LT_ID_MAX];
    lt_admin(&admin, team);
    lt_payment_method(&admin.c, team);
    lt_draft(&admin.c, team, "lre", "Convocation", letter);
    lt_reauth(&admin.c);
    struct reply *r = lt_action(&admin.c, team, letter, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    json_t *d = json_array_get(json_object_get(r->json, "deliveries"), 0);
    cr_assert_str_eq(lt_str(d, "channel"), "registered_email", "%s", r->body);
    char delivery[LT_ID_MAX], id[LT_ID_MAX];
    snprintf(delivery, sizeof(delivery), "%s", lt_str(d, "id"));
    reply_free(r);
    ca_webhook_id(id);
    char *body = ca_event("delivered", delivery, NULL, NULL);
    expect_refused(ca_post_signed(id, body), 422, "unknown_delivery", id);
    const char *params[] = {delivery};
    cr_assert_eq(testdb_long("SELECT count(*) FROM delivery_events WHERE delivery_id = $1 "
                             "AND source = 'carrier'",
                             1, params),
                 0);
    free(body);
}

Test(webhooks_carrier, another_carrier_name_is_not_found, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *body = ca_event("delivered", l.delivery[0], NULL, NULL);
    char id[LT_ID_MAX], timestamp[CA_TIMESTAMP_MAX], signature[CA_SIGNATURE_MAX];
    ca_webhook_id(id);
    ca_timestamp(0, timestamp);
    ca_sign(id, timestamp, body, strlen(body), signature);
    expect_refused(ca_post("laposte", id, timestamp, signature, body, strlen(body)), 404,
                   "not_found", id);
    char status[32];
    cr_assert_eq(current(&l, status), 1);
    cr_assert_str_eq(status, "deposited");
    free(body);
}

Test(webhooks_carrier, proof_not_matching_its_sha256_is_refused, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *pdf = receipt_pdf(l.delivery[0]), id[LT_ID_MAX];
    json_t *proof = ca_inline_proof("acknowledgement_of_receipt", pdf, strlen(pdf), NULL);
    char other[65];
    lt_sha256_hex("another document", 16, other);
    json_object_set_new(proof, "sha256", json_string(other));
    char *body = ca_event("delivered", l.delivery[0], NULL, proof);
    ca_webhook_id(id);
    expect_refused(ca_post_signed(id, body), 422, "carrier_proof_mismatch", id);
    const char *params[] = {other};
    cr_assert_eq(testdb_long("SELECT count(*) FROM blobs WHERE sha256 = $1", 1, params), 0);
    char status[32];
    cr_assert_eq(current(&l, status), 1);
    cr_assert_str_eq(status, "deposited");
    free(body);
    json_decref(proof);
    free(pdf);
}

/* A valid delivered event for the delivery with one field set to value (stolen), as text. */
static char *event_with(const char *delivery_id, const char *field, json_t *value)
{
    char *valid = ca_event("delivered", delivery_id, NULL, NULL);
    json_t *event = json_loads(valid, 0, NULL);
    cr_assert_not_null(event);
    free(valid);
    json_object_set_new(event, field, value);
    char *text = json_dumps(event, JSON_COMPACT);
    json_decref(event);
    return text;
}

Test(webhooks_carrier, malformed_events_are_refused_field_by_field, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    struct {
        const char *field;
        json_t *value;
        const char *problem_field, *code;
    } cases[] = {
        {"type", json_string("lost"), "type", "not_allowed"},
        {"occurred_at", json_string("hier matin, vers dix heures"), "occurred_at",
         "invalid_format"},
        {"delivery_id", json_string("not-a-delivery"), "delivery_id", NULL},
        {"extra", json_integer(1), "extra", "unknown_field"},
        {"proof",
         json_pack("{s:s, s:s, s:s}", "type", "receipt", "sha256",
                   "0000000000000000000000000000000000000000000000000000000000000000", "url",
                   "http://127.0.0.1/receipt.pdf"),
         "proof.url", "invalid_format"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char id[LT_ID_MAX];
        char *body = event_with(l.delivery[0], cases[i].field, cases[i].value);
        ca_webhook_id(id);
        struct reply *r = ca_post_signed(id, body);
        if (cases[i].code)
            lt_field_problem(r, cases[i].problem_field, cases[i].code);
        else
            reply_expect_problem(r, 422, "validation_failed");
        reply_free(r);
        cr_assert_eq(ca_webhook_rows(id), 0, "case %zu was stored", i);
        free(body);
    }
    char status[32];
    cr_assert_eq(current(&l, status), 1);
    cr_assert_str_eq(status, "deposited");
}

/* Waits for the event of callback webhook_id to be recorded against its delivery; fails at
 * once, with the job's error, when the job that applies it failed instead. */
static void expect_recorded(const char *webhook_id)
{
    const char *params[] = {webhook_id};
    double deadline = stack_now() + CA_WAIT_MS / 1000.0;
    for (;;) {
        long rows = testdb_long("SELECT count(*) FROM delivery_events "
                                "WHERE details->>'carrier_event_id' = $1",
                                1, params);
        if (rows == 1)
            return;
        PGresult *r = testdb_exec("SELECT coalesce(last_error, '') FROM jobs "
                                  "WHERE kind = 'carrier_event' AND payload->>'webhook_id' = $1",
                                  1, params);
        char error[300] = "";
        if (PQntuples(r) == 1)
            snprintf(error, sizeof(error), "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        cr_assert_eq(error[0], '\0', "callback %s was answered 200 but cannot be applied: %s",
                     webhook_id, error);
        cr_assert(stack_now() < deadline, "callback %s was not recorded", webhook_id);
        stack_sleep(0.1);
    }
}

/* RFC 3339 allows the year 0000 and offsets up to ±23:59, which PostgreSQL cannot hold: such an
 * event must be refused (422 on occurred_at) or, once answered 200, recorded; it must not be
 * taken and then lost in a job that fails on every attempt. */
Test(webhooks_carrier, accepted_occurred_at_is_one_the_event_can_be_recorded_with, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    const char *times[] = {"0000-01-01T00:00:00Z", "2024-01-01T00:00:00+23:59"};
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        char id[LT_ID_MAX];
        char *body = event_with(l.delivery[0], "occurred_at", json_string(times[i]));
        ca_webhook_id(id);
        struct reply *r = ca_post_signed(id, body);
        if (r->status == 422) {
            lt_field_problem(r, "occurred_at", "invalid_format");
        } else {
            cr_assert_eq(r->status, 200, "occurred_at %s: %ld %s", times[i], r->status, r->body);
            expect_recorded(id);
        }
        reply_free(r);
        free(body);
    }
}

/* The carrier's callbacks (POST /api/v1/webhooks/carriers/{carrier}), signed per Standard
 * Webhooks v1: what is refused before anything is stored (signature, timestamp tolerance,
 * carrier, delivery, proof), replays de-duplicated by webhook id, and events applied by
 * pli-jobs monotonically. Each test follows its own lrar letter to an address the sandbox
 * carrier accepts but never reports on, so that the test alone speaks for the carrier. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support/carrier.h"
#include "support/stack.h"
#include "support/testdb.h"

/* An lrar letter deposited with the carrier, whose events only the test sends. */
static void deposited_letter(struct ca_letter *l)
{
    const char *lines[] = {CA_LINE_UNTRACKED};
    ca_send_lrar(l, 1, lines);
    json_decref(ca_wait_status(l, 0, "deposited"));
}

/* Asserts that the delivery has this status and this many proofs as GET shows them now. */
static void expect_current(struct ca_letter *l, const char *status, size_t proofs)
{
    json_t *d = dl_delivery(&l->admin.c, l->team, l->letter.id, l->letter.deliveries[0]);
    cr_assert_not_null(d, "no delivery %s", l->letter.deliveries[0]);
    cr_assert_str_eq(lt_str(d, "status"), status, "the delivery is %s, not %s", lt_str(d, "status"),
                     status);
    size_t n = json_array_size(json_object_get(d, "proofs"));
    cr_assert_eq(n, proofs, "the delivery has %zu proofs, not %zu", n, proofs);
    json_decref(d);
}

/* Asserts that the callback was refused with this problem and left nothing behind. */
static void expect_refused(struct reply *r, long status, const char *code, const char *id)
{
    reply_expect_problem(r, status, code);
    reply_free(r);
    cr_assert_eq(ca_webhook_rows(id), 0, "a refused callback was stored");
}

/* Posts the event of this type (with proof when not NULL) under a fresh webhook id, copied into
 * id, asserts it was accepted, and returns whether it was then applied (ca_wait_event). */
static int post_event(const char *type, const char *delivery_id, const json_t *proof,
                      char id[LT_ID_MAX])
{
    char *body = ca_event(type, delivery_id, proof);
    ca_post_accepted(body, id);
    free(body);
    return ca_wait_event(id);
}

/* Posts body signed now under a fresh webhook id and asserts that it was refused with this
 * problem and left nothing behind. */
static void expect_body_refused(const char *body, long status, const char *code)
{
    char id[LT_ID_MAX];
    ca_webhook_id(id);
    expect_refused(ca_post_signed(id, body), status, code, id);
}

/* Seconds a request may take from signing to the server's check, at the most. */
#define REQUEST_TRAVEL_SECONDS 5

/* Waits for the start of a second of the wall clock, so that a request signed now reaches the
 * server within the same second: its tolerance check then sees the exact offset signed. */
static void at_second_start(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct timespec rest = {0, 1000000000L - now.tv_nsec};
    nanosleep(&rest, NULL);
}

/* Signs a delivered event for the deposited letter `offset` seconds from now, posts it to the
 * callback of `carrier`, and asserts it was refused with this problem and left nothing behind
 * nor changed the delivery. */
static void expect_signed_refused(struct ca_letter *l, const char *carrier, long offset,
                                  long status, const char *code)
{
    char *body = ca_event("delivered", l->letter.deliveries[0], NULL);
    struct ca_webhook w;
    at_second_start();
    ca_webhook_sign(&w, offset, body);
    expect_refused(ca_post_webhook(carrier, &w, body), status, code, w.id);
    free(body);
    expect_current(l, "deposited", 1);
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
    const char *delivery_id = l.letter.deliveries[0];
    char *pdf = receipt_pdf(delivery_id), sha[65], id[LT_ID_MAX];
    json_t *proof = ca_inline_proof("acknowledgement_of_receipt", pdf, strlen(pdf), sha);
    char *body = ca_event("delivered", delivery_id, proof);
    ca_post_accepted(body, id);
    cr_assert_eq(ca_wait_event(id), 1, "the delivered event was not applied");

    json_decref(ca_wait_status(&l, 0, "delivered"));
    json_t *proofs = dl_proofs_json(&l.admin.c, l.team, l.letter.id, delivery_id);
    dl_expect_proof_types(proofs, "deposit,delivery");
    json_t *record = dl_proof_record(json_array_get(proofs, 1));
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

    dl_expect_chain_intact(proofs);
    free(kept);
    json_decref(record);
    json_decref(proofs);
    free(body);
    json_decref(proof);
    free(pdf);
}

Test(webhooks_carrier, timestamp_301_seconds_away_is_refused, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    /* 301 s in the past only grows on the way; ahead, the server's clock may tick while a slow
     * (sanitized) request travels, so that side allows for a few seconds of travel. The exact
     * ±300/±301 boundary is tested with a fixed clock in tests/unit/test_webhook_signature.c. */
    const long offsets[] = {-301, 301 + REQUEST_TRAVEL_SECONDS};
    for (size_t i = 0; i < 2; i++)
        expect_signed_refused(&l, "sandbox", offsets[i], 401, "webhook_timestamp_out_of_tolerance");
}

Test(webhooks_carrier, timestamp_299_seconds_away_is_accepted, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    const char *types[] = {"deposited", "delivered"};
    /* 299 s ahead only shrinks on the way; behind, it grows while a slow request travels. */
    const long offsets[] = {-(299 - REQUEST_TRAVEL_SECONDS), 299};
    char ids[2][LT_ID_MAX];
    for (size_t i = 0; i < 2; i++) {
        char *body = ca_event(types[i], l.letter.deliveries[0], NULL);
        struct ca_webhook w;
        at_second_start();
        ca_webhook_sign(&w, offsets[i], body);
        ca_expect_answer(ca_post_webhook("sandbox", &w, body), "accepted");
        cr_assert_eq(ca_webhook_rows(w.id), 1, "the callback %ld s away was not stored",
                     offsets[i]);
        snprintf(ids[i], sizeof(ids[i]), "%s", w.id);
        free(body);
    }
    cr_assert_eq(ca_wait_event(ids[0]), 0, "a repeated deposit was applied");
    cr_assert_eq(ca_wait_event(ids[1]), 1, "the delivered event was not applied");
    json_decref(ca_wait_status(&l, 0, "delivered"));
}

Test(webhooks_carrier, body_changed_after_signing_is_refused, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    const char *delivery_id = l.letter.deliveries[0];
    char *body = ca_event("delivered", delivery_id, NULL);
    struct ca_webhook w;
    ca_webhook_sign(&w, 0, body);
    /* One byte of the delivery id changes: the body is still a well-formed event. */
    char *hit = strstr(body, delivery_id);
    cr_assert_not_null(hit);
    hit[0] = hit[0] == 'a' ? 'b' : 'a';
    expect_refused(ca_post_webhook("sandbox", &w, body), 401, "webhook_signature_invalid", w.id);
    /* The same body, untouched but signed for another id, or not signed at all. */
    hit[0] = delivery_id[0];
    char other[LT_ID_MAX];
    ca_webhook_id(other);
    expect_refused(ca_post("sandbox", other, w.timestamp, w.signature, body, strlen(body)), 401,
                   "webhook_signature_invalid", other);
    expect_refused(ca_post("sandbox", w.id, w.timestamp, NULL, body, strlen(body)), 401,
                   "webhook_signature_invalid", w.id);
    expect_current(&l, "deposited", 1);
    free(body);
}

Test(webhooks_carrier, any_matching_signature_of_several_is_enough, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *body = ca_event("delivered", l.letter.deliveries[0], NULL);
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
    ca_expect_answer(ca_post("sandbox", id, timestamp, header, body, strlen(body)), "accepted");
    cr_assert_eq(ca_wait_event(id), 1, "the delivered event was not applied");
    json_decref(ca_wait_status(&l, 0, "delivered"));
    free(body);
}

Test(webhooks_carrier, replayed_webhook_id_is_a_duplicate_and_changes_nothing, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *body = ca_event("delivered", l.letter.deliveries[0], NULL);
    struct ca_webhook w;
    ca_webhook_sign(&w, 0, body);
    ca_expect_answer(ca_post_webhook("sandbox", &w, body), "accepted");
    cr_assert_eq(ca_wait_event(w.id), 1, "the delivered event was not applied");
    json_decref(ca_wait_status(&l, 0, "delivered"));

    /* The very same request again, then the same id re-signed over another event. */
    ca_expect_answer(ca_post_webhook("sandbox", &w, body), "duplicate");
    char *other = ca_event("returned", l.letter.deliveries[0], NULL);
    ca_expect_answer(ca_post_signed(w.id, other), "duplicate");

    const char *params[] = {w.id};
    cr_assert_eq(ca_webhook_rows(w.id), 1);
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs "
                             "WHERE kind = 'carrier_event' AND payload->>'webhook_id' = $1",
                             1, params),
                 1, "a duplicate queued another job");
    char stored[32];
    lt_db_text("SELECT body->>'type' FROM carrier_webhooks WHERE webhook_id = $1", w.id, stored,
               sizeof(stored));
    cr_assert_str_eq(stored, "delivered", "the duplicate replaced the body");
    cr_assert_eq(ca_wait_event(w.id), 1, "the event was recorded again");
    expect_current(&l, "delivered", 2);
    free(other);
    free(body);
}

Test(webhooks_carrier, late_events_are_recorded_and_change_nothing, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    const char *delivery_id = l.letter.deliveries[0];
    char delivered[LT_ID_MAX], returned[LT_ID_MAX], deposited[LT_ID_MAX];
    cr_assert_eq(post_event("delivered", delivery_id, NULL, delivered), 1,
                 "the delivered event was not applied");
    json_t *before = ca_wait_status(&l, 0, "delivered");

    /* A return after the delivery, with its own proof document, then a late deposit. */
    char *pdf = lt_pdf("Avis de retour tardif");
    json_t *proof = ca_inline_proof("return_notice", pdf, strlen(pdf), NULL);
    cr_assert_eq(post_event("returned", delivery_id, proof, returned), 0,
                 "a return after the delivery was applied");
    cr_assert_eq(post_event("deposited", delivery_id, NULL, deposited), 0,
                 "a late deposit was applied");

    json_t *after = ca_wait_status(&l, 0, "delivered");
    cr_assert(json_equal(json_object_get(before, "proofs"), json_object_get(after, "proofs")),
              "the proofs changed");
    const char *params[] = {delivery_id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM delivery_events WHERE delivery_id = $1 "
                             "AND source = 'carrier' AND NOT applied AND proof_id IS NULL",
                             1, params),
                 2);
    json_decref(after);
    json_decref(before);
    json_decref(proof);
    free(pdf);
}

Test(webhooks_carrier, unknown_delivery_is_refused, .timeout = 30)
{
    char delivery[LT_ID_MAX];
    ca_uuid(delivery);
    char *body = ca_event("delivered", delivery, NULL);
    expect_body_refused(body, 422, "unknown_delivery");
    free(body);
}

Test(webhooks_carrier, registered_email_delivery_is_not_the_carriers, .timeout = 60)
{
    struct lt_user admin;
    char team[LT_ID_MAX], email[160];
    lt_admin(&admin, team);
    lt_payment_method(&admin.c, team);
    client_unique_email(email, sizeof(email), "recipient");
    struct dl_letter letter;
    dl_send_to(&admin.c, team, "lre", email, &letter);
    const char *delivery = letter.deliveries[0];
    json_t *d = dl_delivery(&admin.c, team, letter.id, delivery);
    cr_assert_str_eq(lt_str(d, "channel"), "registered_email", "delivery %s", delivery);
    json_decref(d);
    char *body = ca_event("delivered", delivery, NULL);
    expect_body_refused(body, 422, "unknown_delivery");
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
    expect_signed_refused(&l, "laposte", 0, 404, "not_found");
}

Test(webhooks_carrier, proof_not_matching_its_sha256_is_refused, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *pdf = receipt_pdf(l.letter.deliveries[0]);
    json_t *proof = ca_inline_proof("acknowledgement_of_receipt", pdf, strlen(pdf), NULL);
    char other[65];
    lt_sha256_hex("another document", 16, other);
    json_object_set_new(proof, "sha256", json_string(other));
    char *body = ca_event("delivered", l.letter.deliveries[0], proof);
    expect_body_refused(body, 422, "carrier_proof_mismatch");
    const char *params[] = {other};
    cr_assert_eq(testdb_long("SELECT count(*) FROM blobs WHERE sha256 = $1", 1, params), 0);
    expect_current(&l, "deposited", 1);
    free(body);
    json_decref(proof);
    free(pdf);
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
        char *body = ca_event_with("delivered", l.letter.deliveries[0], NULL, cases[i].field,
                                   cases[i].value);
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
    expect_current(&l, "deposited", 1);
}

/* Waits for the event of callback webhook_id to be recorded against its delivery; fails at
 * once, with the job's error, when the job that applies it failed instead. */
static void expect_recorded(const char *webhook_id)
{
    const char *params[] = {webhook_id};
    double deadline = stack_now() + DL_WAIT_MS / 1000.0;
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
        char *body = ca_event_with("delivered", l.letter.deliveries[0], NULL, "occurred_at",
                                   json_string(times[i]));
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

/* PLI_WEBHOOK_BODY_MAX's default: the largest callback taken, its proof document included. */
#define WEBHOOK_BODY_MAX (8L * 1024 * 1024)

/* A delivered event for the letter padded with trailing spaces (still valid JSON) to len
 * bytes; to free. */
static char *padded_event(struct ca_letter *l, size_t len)
{
    char *event = ca_event("delivered", l->letter.deliveries[0], NULL);
    size_t n = strlen(event);
    cr_assert_lt(n, len);
    char *body = malloc(len + 1);
    cr_assert_not_null(body);
    memcpy(body, event, n);
    memset(body + n, ' ', len - n);
    body[len] = '\0';
    free(event);
    return body;
}

Test(webhooks_carrier, body_at_the_size_limit_is_taken_one_byte_more_is_not, .timeout = 60)
{
    struct ca_letter l;
    deposited_letter(&l);
    char *over = padded_event(&l, (size_t)WEBHOOK_BODY_MAX + 1);
    struct ca_webhook w;
    ca_webhook_sign(&w, 0, over);
    expect_refused(ca_post_webhook("sandbox", &w, over), 413, "payload_too_large", w.id);
    free(over);
    expect_current(&l, "deposited", 1);

    char *at = padded_event(&l, (size_t)WEBHOOK_BODY_MAX);
    ca_webhook_sign(&w, 0, at);
    ca_expect_answer(ca_post_webhook("sandbox", &w, at), "accepted");
    free(at);
    cr_assert_eq(ca_wait_event(w.id), 1, "the event at the limit was not applied");
    expect_current(&l, "delivered", 2);
}

/* Postal registered letters (lrar) through the real carrier path: pli-jobs hands each delivery
 * to the sandbox carrier over HTTPS (its acceptance is the deposit), the carrier's signed
 * callbacks bring the outcome, and every step leaves a signed proof chained to the previous one
 * that `pli verify-proof` checks offline. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/carrier.h"
#include "support/stack.h"
#include "support/testdb.h"

/* Checks the proof that closes a postal delivery: its event, the carrier named in its signed
 * details, and that the carrier's document it cites is kept (a row of blobs) and hashes right. */
static void expect_outcome_proof(const json_t *delivery, const json_t *proof, const char *type,
                                 const char *event, const char *carrier_id)
{
    cr_assert_str_eq(lt_str(proof, "event"), event);
    json_t *record = dl_proof_record(proof);
    cr_assert_str_eq(lt_str(record, "type"), type);
    cr_assert_str_eq(lt_str(record, "event"), event);
    cr_assert_str_eq(lt_str(record, "delivery_id"), lt_str(delivery, "id"));
    json_t *details = json_object_get(record, "details");
    cr_assert_str_eq(lt_str(details, "carrier"), "sandbox", "details: %s",
                     lt_str(proof, "signed_payload"));
    cr_assert_str_eq(lt_str(details, "carrier_reference"), carrier_id);
    const char *sha = lt_str(details, "carrier_proof_sha256");
    cr_assert_eq(strlen(sha), 64, "no carrier_proof_sha256 in the signed details");
    const char *params[] = {sha};
    cr_assert_eq(testdb_long("SELECT count(*) FROM blobs WHERE sha256 = $1", 1, params), 1,
                 "the carrier's proof %s is not kept", sha);
    size_t len = 0;
    unsigned char *pdf = ca_blob(sha, &len);
    cr_assert_not_null(pdf);
    char actual[65];
    lt_sha256_hex(pdf, len, actual);
    cr_assert_str_eq(actual, sha, "the kept document does not hash to what the proof says");
    cr_assert(len > 8 && memcmp(pdf, "%PDF-", 5) == 0, "the carrier's proof is not a PDF");
    free(pdf);
    json_decref(record);
}

/* Checks the deposit proof: first of the chain, SubmissionAcceptance, naming the carrier and
 * the carrier's letter id as the delivery shows it. */
static void expect_deposit_proof(const json_t *delivery, const json_t *proof,
                                 const char *carrier_id)
{
    cr_assert_str_eq(lt_str(proof, "event"), "SubmissionAcceptance");
    cr_assert(json_is_null(json_object_get(proof, "previous_sha256")) ||
                  !json_object_get(proof, "previous_sha256"),
              "the first proof names a predecessor");
    json_t *record = dl_proof_record(proof);
    json_t *details = json_object_get(record, "details");
    cr_assert_str_eq(lt_str(details, "channel"), "postal");
    cr_assert_str_eq(lt_str(details, "carrier"), "sandbox");
    cr_assert_str_eq(lt_str(details, "carrier_reference"), carrier_id);
    cr_assert_str_eq(lt_str(delivery, "carrier_reference"), carrier_id);
    json_decref(record);
}

/* Sends an lrar letter to one recipient at line1 and waits for its delivery to reach `status`
 * with two proofs, the deposit and the outcome (`type`, `event`): one carrier letter, each proof
 * naming it, the outcome's carrier document kept, the chain verified by `pli verify-proof`.
 * Fills l. */
static void expect_outcome(struct ca_letter *l, const char *line1, const char *status,
                           const char *type, const char *event)
{
    ca_send_lrar(l, 1, &line1);
    json_t *delivery = ca_wait_status(l, 0, status);
    json_t *proofs = dl_proofs_json(&l->admin.c, l->team, l->letter.id, l->letter.deliveries[0]);
    char types[64];
    snprintf(types, sizeof(types), "deposit,%s", type);
    dl_expect_proof_types(proofs, types);

    char carrier_id[LT_ID_MAX];
    ca_expect_one_sandbox_letter(l->letter.deliveries[0], carrier_id);
    expect_deposit_proof(delivery, json_array_get(proofs, 0), carrier_id);
    expect_outcome_proof(delivery, json_array_get(proofs, 1), type, event, carrier_id);
    dl_expect_chain_intact(proofs);
    json_decref(proofs);
    json_decref(delivery);
}

Test(deliveries_postal, lrar_is_deposited_then_delivered_with_two_chained_proofs, .timeout = 60)
{
    struct ca_letter l;
    expect_outcome(&l, CA_LINE_DELIVERED, "delivered", "delivery", "ContentHandover");

    /* Both callbacks were stored; the carrier's "deposited" came after the deposit pli had
     * already recorded, so it is kept without a second deposit proof. */
    const char *params[] = {l.letter.deliveries[0]};
    cr_assert_eq(
        testdb_long("SELECT count(*) FROM carrier_webhooks WHERE delivery_id = $1", 1, params), 2);
    double deadline = stack_now() + 10;
    long late = 0;
    do {
        late = testdb_long("SELECT count(*) FROM delivery_events WHERE delivery_id = $1 "
                           "AND source = 'carrier' AND target = 'deposited' AND NOT applied",
                           1, params);
        if (late != 1)
            stack_sleep(0.1);
    } while (late != 1 && stack_now() < deadline);
    cr_assert_eq(late, 1, "the carrier's deposited event is not recorded as unapplied");
}

Test(deliveries_postal, lrar_to_an_npai_address_is_returned, .timeout = 60)
{
    struct ca_letter l;
    expect_outcome(&l, CA_LINE_RETURNED, "returned", "return", "ContentHandoverFailure");
}

Test(deliveries_postal, each_postal_recipient_is_one_carrier_letter_with_its_address, .timeout = 60)
{
    struct ca_letter l;
    const char *lines[] = {"1 place SANS SUIVI", "2 quai SANS SUIVI"};
    ca_send_lrar(&l, 2, lines);
    char first[LT_ID_MAX] = "";
    for (int i = 0; i < 2; i++) {
        json_t *delivery = ca_wait_status(&l, i, "deposited");
        dl_expect_proof_types(json_object_get(delivery, "proofs"), "deposit");
        json_t *sent = ca_sandbox_letters(l.letter.deliveries[i]);
        cr_assert_eq(json_array_size(sent), 1, "the carrier holds %zu letters for delivery %d",
                     json_array_size(sent), i + 1);
        json_t *one = json_array_get(sent, 0);
        cr_assert_str_eq(lt_str(delivery, "carrier_reference"), lt_str(one, "id"));
        cr_assert_str_neq(lt_str(one, "id"), first, "two deliveries share one carrier letter");
        snprintf(first, sizeof(first), "%s", lt_str(one, "id"));
        json_t *to = json_object_get(one, "recipient");
        cr_assert_str_eq(lt_str(to, "line1"), lines[i]);
        cr_assert_str_eq(lt_str(to, "postal_code"), "75001");
        cr_assert_str_eq(lt_str(to, "city"), "Paris");
        cr_assert_str_eq(lt_str(to, "country"), "FR");
        /* The letter itself goes first, as a PDF the carrier prints. */
        json_t *documents = json_object_get(one, "documents");
        cr_assert(json_array_size(documents) >= 1, "no document sent");
        cr_assert_str_eq(lt_str(json_array_get(documents, 0), "filename"), "lettre.pdf");
        json_decref(sent);
        json_decref(delivery);
    }
}

/* Queues a deliver_postal job for the delivery as a retry would; returns its id (static). */
static const char *requeue_dispatch(const char *delivery_id)
{
    static char id[32];
    const char *params[] = {delivery_id};
    PGresult *r =
        testdb_exec("INSERT INTO jobs (kind, payload, dedupe_key) "
                    "VALUES ('deliver_postal', json_build_object('delivery_id', $1::uuid), "
                    "'test:' || gen_random_uuid()) RETURNING id",
                    1, params);
    snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return id;
}

/* Waits (DL_WAIT_MS at most) until the job is done or dead; returns its state then, into out. */
static const char *wait_job(const char *job, char out[16])
{
    const char *params[] = {job};
    double deadline = stack_now() + DL_WAIT_MS / 1000.0;
    while (testdb_long("SELECT count(*) FROM jobs WHERE id = $1 AND state IN ('done', 'dead')", 1,
                       params) == 0 &&
           stack_now() < deadline)
        stack_sleep(0.1);
    return lt_db_text("SELECT state FROM jobs WHERE id = $1", job, out, 16);
}

Test(deliveries_postal, dispatching_again_does_not_post_a_second_letter, .timeout = 60)
{
    struct ca_letter l;
    const char *lines[] = {CA_LINE_UNTRACKED};
    ca_send_lrar(&l, 1, lines);
    const char *delivery_id = l.letter.deliveries[0];
    json_decref(ca_wait_status(&l, 0, "deposited"));
    char carrier_id[LT_ID_MAX];
    ca_expect_one_sandbox_letter(delivery_id, carrier_id);

    const char *job = requeue_dispatch(delivery_id);
    char state[16];
    cr_assert_str_eq(wait_job(job, state), "done", "the repeated dispatch job is %s, not done",
                     state);
    char again[LT_ID_MAX];
    ca_expect_one_sandbox_letter(delivery_id, again);
    cr_assert_str_eq(again, carrier_id);

    /* pli's request carried the delivery id as its Idempotency-Key: the carrier refuses that key
     * with another body, so no retry of pli's can ever make a second letter. */
    char error[64];
    long status = ca_sandbox_post(delivery_id, "{\"reference\":\"other\"}", error, sizeof(error));
    cr_assert_eq(status, 422, "the carrier does not know the key %s: HTTP %ld %s", delivery_id,
                 status, error);
    cr_assert_str_eq(error, "idempotency_key_reused");
    ca_expect_one_sandbox_letter(delivery_id, again);

    json_t *delivery = ca_wait_status(&l, 0, "deposited");
    dl_expect_proof_types(json_object_get(delivery, "proofs"), "deposit");
    json_decref(delivery);
}

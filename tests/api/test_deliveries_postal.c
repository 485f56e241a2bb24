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

/* Asserts the proofs of a delivery have these types, in order. */
static void expect_proof_types(const json_t *delivery, const char *const *types, size_t n)
{
    json_t *proofs = json_object_get(delivery, "proofs");
    cr_assert_eq(json_array_size(proofs), n, "%zu proofs where %zu were expected",
                 json_array_size(proofs), n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(lt_str(json_array_get(proofs, i), "type"), types[i], "proof %zu", i + 1);
}

/* Asserts pli verify-proof accepts every proof of the delivery and their chain. */
static void expect_chain_verifies(struct ca_letter *l, const json_t *delivery)
{
    char out[4096];
    int status = ca_verify_proofs(l, delivery, out, sizeof(out));
    cr_assert_eq(status, 0, "pli verify-proof exited %d:\n%s", status, out);
    char want[64];
    snprintf(want, sizeof(want), "chain of %zu proof(s) intact",
             json_array_size(json_object_get(delivery, "proofs")));
    cr_assert(strstr(out, want), "no '%s' in:\n%s", want, out);
}

/* Asserts the sandbox holds exactly one letter for the delivery; copies its id. */
static void expect_one_carrier_letter(const char *delivery_id, char carrier_id[LT_ID_MAX])
{
    json_t *letters = ca_sandbox_letters(delivery_id);
    cr_assert_eq(json_array_size(letters), 1, "the carrier holds %zu letters for %s",
                 json_array_size(letters), delivery_id);
    json_t *letter = json_array_get(letters, 0);
    cr_assert_str_eq(lt_str(letter, "reference"), delivery_id);
    snprintf(carrier_id, LT_ID_MAX, "%s", lt_str(letter, "id"));
    json_decref(letters);
}

/* Checks the proof that closes a postal delivery: its event, the carrier named in its signed
 * details, and that the carrier's document it cites is kept (a row of blobs) and hashes right. */
static void expect_outcome_proof(struct ca_letter *l, const json_t *delivery, const char *type,
                                 const char *event, const char *carrier_id)
{
    json_t *summary = json_array_get(json_object_get(delivery, "proofs"), 1);
    cr_assert_str_eq(lt_str(summary, "event"), event);
    json_t *proof = ca_proof(l, lt_str(summary, "id"));
    json_t *record = ca_signed_record(proof);
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
    json_decref(proof);
}

/* Checks the deposit proof: first of the chain, SubmissionAcceptance, naming the carrier and
 * the carrier's letter id as the delivery shows it. */
static void expect_deposit_proof(struct ca_letter *l, const json_t *delivery,
                                 const char *carrier_id)
{
    json_t *summary = json_array_get(json_object_get(delivery, "proofs"), 0);
    cr_assert_str_eq(lt_str(summary, "event"), "SubmissionAcceptance");
    json_t *proof = ca_proof(l, lt_str(summary, "id"));
    cr_assert(json_is_null(json_object_get(proof, "previous_sha256")) ||
                  !json_object_get(proof, "previous_sha256"),
              "the first proof names a predecessor");
    json_t *record = ca_signed_record(proof);
    json_t *details = json_object_get(record, "details");
    cr_assert_str_eq(lt_str(details, "channel"), "postal");
    cr_assert_str_eq(lt_str(details, "carrier"), "sandbox");
    cr_assert_str_eq(lt_str(details, "carrier_reference"), carrier_id);
    cr_assert_str_eq(lt_str(delivery, "carrier_reference"), carrier_id);
    json_decref(record);
    json_decref(proof);
}

Test(deliveries_postal, lrar_is_deposited_then_delivered_with_two_chained_proofs, .timeout = 60)
{
    struct ca_letter l;
    const char *lines[] = {CA_LINE_DELIVERED};
    ca_send_lrar(&l, 1, lines);
    json_t *letter = ca_wait_status(&l, l.delivery[0], "delivered");
    json_t *delivery = ca_delivery_of(letter, l.delivery[0]);
    static const char *const types[] = {"deposit", "delivery"};
    expect_proof_types(delivery, types, 2);

    char carrier_id[LT_ID_MAX];
    expect_one_carrier_letter(l.delivery[0], carrier_id);
    expect_deposit_proof(&l, delivery, carrier_id);
    expect_outcome_proof(&l, delivery, "delivery", "ContentHandover", carrier_id);
    expect_chain_verifies(&l, delivery);

    /* Both callbacks were stored; the carrier's "deposited" came after the deposit pli had
     * already recorded, so it is kept without a second deposit proof. */
    const char *params[] = {l.delivery[0]};
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
    json_decref(letter);
}

Test(deliveries_postal, lrar_to_an_npai_address_is_returned, .timeout = 60)
{
    struct ca_letter l;
    const char *lines[] = {CA_LINE_RETURNED};
    ca_send_lrar(&l, 1, lines);
    json_t *letter = ca_wait_status(&l, l.delivery[0], "returned");
    json_t *delivery = ca_delivery_of(letter, l.delivery[0]);
    static const char *const types[] = {"deposit", "return"};
    expect_proof_types(delivery, types, 2);

    char carrier_id[LT_ID_MAX];
    expect_one_carrier_letter(l.delivery[0], carrier_id);
    expect_deposit_proof(&l, delivery, carrier_id);
    expect_outcome_proof(&l, delivery, "return", "ContentHandoverFailure", carrier_id);
    expect_chain_verifies(&l, delivery);
    json_decref(letter);
}

Test(deliveries_postal, each_postal_recipient_is_one_carrier_letter_with_its_address, .timeout = 60)
{
    struct ca_letter l;
    const char *lines[] = {"1 place SANS SUIVI", "2 quai SANS SUIVI"};
    ca_send_lrar(&l, 2, lines);
    char first[LT_ID_MAX] = "";
    for (int i = 0; i < 2; i++) {
        json_t *letter = ca_wait_status(&l, l.delivery[i], "deposited");
        json_t *delivery = ca_delivery_of(letter, l.delivery[i]);
        static const char *const types[] = {"deposit"};
        expect_proof_types(delivery, types, 1);
        json_t *sent = ca_sandbox_letters(l.delivery[i]);
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
        json_decref(letter);
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

/* Waits until the job is done (or dead); returns its last state (static). */
static const char *wait_job(const char *job)
{
    static char state[16];
    const char *params[] = {job};
    double deadline = stack_now() + CA_WAIT_MS / 1000.0;
    do {
        PGresult *r = testdb_exec("SELECT state FROM jobs WHERE id = $1", 1, params);
        snprintf(state, sizeof(state), "%s", PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "(gone)");
        PQclear(r);
        if (strcmp(state, "done") == 0 || strcmp(state, "dead") == 0)
            break;
        stack_sleep(0.1);
    } while (stack_now() < deadline);
    return state;
}

Test(deliveries_postal, dispatching_again_does_not_post_a_second_letter, .timeout = 60)
{
    struct ca_letter l;
    const char *lines[] = {CA_LINE_UNTRACKED};
    ca_send_lrar(&l, 1, lines);
    json_decref(ca_wait_status(&l, l.delivery[0], "deposited"));
    char carrier_id[LT_ID_MAX];
    expect_one_carrier_letter(l.delivery[0], carrier_id);

    const char *job = requeue_dispatch(l.delivery[0]);
    cr_assert_str_eq(wait_job(job), "done", "the repeated dispatch job did not finish");
    char again[LT_ID_MAX];
    expect_one_carrier_letter(l.delivery[0], again);
    cr_assert_str_eq(again, carrier_id);

    /* pli's request carried the delivery id as its Idempotency-Key: the carrier refuses that key
     * with another body, so no retry of pli's can ever make a second letter. */
    char error[64];
    long status = ca_sandbox_post(l.delivery[0], "{\"reference\":\"other\"}", error, sizeof(error));
    cr_assert_eq(status, 422, "the carrier does not know the key %s: HTTP %ld %s", l.delivery[0],
                 status, error);
    cr_assert_str_eq(error, "idempotency_key_reused");
    expect_one_carrier_letter(l.delivery[0], again);

    json_t *letter = ca_wait_status(&l, l.delivery[0], "deposited");
    static const char *const types[] = {"deposit"};
    expect_proof_types(ca_delivery_of(letter, l.delivery[0]), types, 1);
    json_decref(letter);
}

/* Carrier events that arrive before their turn: with pli-jobs stopped, an lrar letter is sent
 * (its delivery stays pending, not yet handed to the carrier) and the carrier's outcome is
 * posted by hand; when pli-jobs starts again the outcome is recorded first, waits, and is
 * applied right after the deposit, in one chain of proofs that still verifies. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/carrier.h"
#include "support/jobs_proc.h"
#include "support/testdb.h"

/* Leaves a runner recorded and running whatever happened in the test. */
static void runner_back(void)
{
    const char *dir = getenv("PLI_TEST_RUNTIME");
    char path[1024];
    snprintf(path, sizeof(path), "%s/pli-jobs.spawned", dir ? dir : ".");
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    if (pid <= 1 || !jobs_wait_runner((pid_t)pid, 2.0))
        jobs_control("start");
}

/* An lrar letter to an address the sandbox never reports on, sent while pli-jobs is stopped:
 * its delivery is pending. */
static void pending_letter(struct ca_letter *l)
{
    jobs_control("stop");
    const char *lines[] = {CA_LINE_UNTRACKED};
    ca_send_lrar(l, 1, lines);
    char status[32];
    const char *params[] = {l->delivery[0]};
    PGresult *r = testdb_exec("SELECT status FROM deliveries WHERE id = $1", 1, params);
    snprintf(status, sizeof(status), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    cr_assert_str_eq(status, "pending");
}

/* Posts a signed event of this type that happened `ago` seconds ago, with an inline proof;
 * fills the webhook id. */
static void post_outcome(const char *type, const char *delivery_id, long ago, char id[LT_ID_MAX])
{
    char *pdf = lt_pdf(type), occurred[32];
    json_t *proof = ca_inline_proof("notice", pdf, strlen(pdf), NULL);
    char *valid = ca_event(type, delivery_id, NULL, proof);
    json_t *event = json_loads(valid, 0, NULL);
    cr_assert_not_null(event);
    ca_rfc3339(-ago, occurred);
    json_object_set_new(event, "occurred_at", json_string(occurred));
    char *body = json_dumps(event, JSON_COMPACT);
    ca_webhook_id(id);
    struct reply *r = ca_post_signed(id, body);
    cr_assert_eq(r->status, 200, "%s: %ld %s", type, r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "accepted", "%s", r->body);
    reply_free(r);
    free(body);
    json_decref(event);
    free(valid);
    json_decref(proof);
    free(pdf);
}

/* The event recorded for a callback: whether applied, and the proof it issued ("" if none). */
static int event_row(const char *webhook_id, char proof_id[LT_ID_MAX])
{
    const char *params[] = {webhook_id};
    PGresult *r = testdb_exec("SELECT applied, coalesce(proof_id::text, '') FROM delivery_events "
                              "WHERE details->>'carrier_event_id' = $1",
                              1, params);
    cr_assert_eq(PQntuples(r), 1, "the callback %s was recorded %d times", webhook_id,
                 PQntuples(r));
    int applied = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    snprintf(proof_id, LT_ID_MAX, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    return applied;
}

Test(carrier_order, delivered_before_the_deposit_waits_then_follows_it, .timeout = 90,
     .fini = runner_back)
{
    struct ca_letter l;
    pending_letter(&l);
    char id[LT_ID_MAX];
    post_outcome("delivered", l.delivery[0], 0, id);
    jobs_control("start");

    json_t *letter = ca_wait_status(&l, l.delivery[0], "delivered");
    json_t *delivery = ca_delivery_of(letter, l.delivery[0]);
    json_t *proofs = json_object_get(delivery, "proofs");
    cr_assert_eq(json_array_size(proofs), 2, "proofs: %zu", json_array_size(proofs));
    cr_assert_str_eq(lt_str(json_array_get(proofs, 0), "type"), "deposit");
    cr_assert_str_eq(lt_str(json_array_get(proofs, 1), "type"), "delivery");

    /* Recorded before the deposit existed (it waited), applied with the second proof. */
    char proof_id[LT_ID_MAX];
    cr_assert(event_row(id, proof_id), "the waiting event was never applied");
    cr_assert_str_eq(proof_id, lt_str(json_array_get(proofs, 1), "id"));
    const char *params[] = {id, l.delivery[0]};
    cr_assert_eq(testdb_long("SELECT count(*) FROM delivery_events e, proofs p "
                             "WHERE e.details->>'carrier_event_id' = $1 AND p.delivery_id = $2 "
                             "AND p.seq = 1 AND e.recorded_at < p.issued_at",
                             2, params),
                 1, "the event did not wait: it was recorded after the deposit");

    char out[4096];
    int status = ca_verify_proofs(&l, delivery, out, sizeof(out));
    cr_assert_eq(status, 0, "pli verify-proof exited %d:\n%s", status, out);
    cr_assert(strstr(out, "chain of 2 proof(s) intact"), "%s", out);
    json_t *sent = ca_sandbox_letters(l.delivery[0]);
    cr_assert_eq(json_array_size(sent), 1, "the carrier holds %zu letters", json_array_size(sent));
    json_decref(sent);
    json_decref(letter);
}

Test(carrier_order, of_two_waiting_outcomes_the_earlier_one_is_applied, .timeout = 90,
     .fini = runner_back)
{
    struct ca_letter l;
    pending_letter(&l);
    /* The return is posted first but happened later than the delivery. */
    char returned[LT_ID_MAX], delivered[LT_ID_MAX];
    post_outcome("returned", l.delivery[0], 10, returned);
    post_outcome("delivered", l.delivery[0], 20, delivered);
    jobs_control("start");

    json_t *letter = ca_wait_status(&l, l.delivery[0], "delivered");
    json_t *proofs = json_object_get(ca_delivery_of(letter, l.delivery[0]), "proofs");
    cr_assert_eq(json_array_size(proofs), 2, "proofs: %zu", json_array_size(proofs));
    char proof_id[LT_ID_MAX];
    cr_assert(event_row(delivered, proof_id), "the earlier outcome was not applied");
    cr_assert_str_eq(proof_id, lt_str(json_array_get(proofs, 1), "id"));
    cr_assert_not(event_row(returned, proof_id), "the later outcome was applied too");
    cr_assert_str_eq(proof_id, "");
    json_decref(letter);
}

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

/* An lrar letter to an address the sandbox never reports on, sent while pli-jobs is stopped:
 * its delivery is pending. */
static void pending_letter(struct ca_letter *l)
{
    jobs_control("stop");
    const char *lines[] = {CA_LINE_UNTRACKED};
    ca_send_lrar(l, 1, lines);
    char status[32];
    cr_assert_str_eq(dl_db_status(l->letter.deliveries[0], status), "pending");
}

/* Posts a signed event of this type that happened `ago` seconds ago, with an inline proof;
 * fills the webhook id. */
static void post_outcome(const char *type, const char *delivery_id, long ago, char id[LT_ID_MAX])
{
    char *pdf = lt_pdf(type), occurred[32];
    json_t *proof = ca_inline_proof("notice", pdf, strlen(pdf), NULL);
    ca_rfc3339(-ago, occurred);
    char *body = ca_event_with(type, delivery_id, proof, "occurred_at", json_string(occurred));
    ca_post_accepted(body, id);
    free(body);
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

/* Starts pli-jobs again and waits for the delivery to be delivered, with two proofs: the
 * deposit and the delivery. Returns the delivery (caller decrefs). */
static json_t *delivered_once_started(struct ca_letter *l)
{
    jobs_control("start");
    json_t *delivery = ca_wait_status(l, 0, "delivered");
    dl_expect_proof_types(json_object_get(delivery, "proofs"), "deposit,delivery");
    return delivery;
}

/* Asserts that the event of callback webhook_id (`what`) was applied and issued the delivery's
 * second proof. */
static void expect_applied_as_second_proof(const char *webhook_id, const json_t *delivery,
                                           const char *what)
{
    char proof_id[LT_ID_MAX];
    cr_assert(event_row(webhook_id, proof_id), "%s was never applied", what);
    const char *second = lt_str(json_array_get(json_object_get(delivery, "proofs"), 1), "id");
    cr_assert_str_eq(proof_id, second, "%s issued proof %s, not the second one, %s", what,
                     proof_id, second);
}

Test(carrier_order, delivered_before_the_deposit_waits_then_follows_it, .timeout = 90,
     .fini = jobs_runner_ensure)
{
    struct ca_letter l;
    pending_letter(&l);
    const char *delivery_id = l.letter.deliveries[0];
    char id[LT_ID_MAX];
    post_outcome("delivered", delivery_id, 0, id);
    json_t *delivery = delivered_once_started(&l);

    /* Recorded before the deposit existed (it waited), applied with the second proof. */
    expect_applied_as_second_proof(id, delivery, "the waiting event");
    const char *params[] = {id, delivery_id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM delivery_events e, proofs p "
                             "WHERE e.details->>'carrier_event_id' = $1 AND p.delivery_id = $2 "
                             "AND p.seq = 1 AND e.recorded_at < p.issued_at",
                             2, params),
                 1, "the event did not wait: it was recorded after the deposit");

    dl_expect_delivery_verifies(&l.admin.c, l.team, l.letter.id, delivery_id);
    ca_expect_one_sandbox_letter(delivery_id, NULL);
    json_decref(delivery);
}

Test(carrier_order, of_two_waiting_outcomes_the_earlier_one_is_applied, .timeout = 90,
     .fini = jobs_runner_ensure)
{
    struct ca_letter l;
    pending_letter(&l);
    /* The return is posted first but happened later than the delivery. */
    char returned[LT_ID_MAX], delivered[LT_ID_MAX];
    post_outcome("returned", l.letter.deliveries[0], 10, returned);
    post_outcome("delivered", l.letter.deliveries[0], 20, delivered);
    json_t *delivery = delivered_once_started(&l);
    expect_applied_as_second_proof(delivered, delivery, "the earlier outcome");
    char proof_id[LT_ID_MAX];
    cr_assert_not(event_row(returned, proof_id), "the later outcome was applied too");
    cr_assert_str_eq(proof_id, "", "the later outcome issued proof %s", proof_id);
    json_decref(delivery);
}

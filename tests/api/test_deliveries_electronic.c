/* Electronic delivery through the real stack: a registered e-mail (lre) notified without its
 * sender, accepted or refused with a one-time code, lapsed into negligence or bounced; a simple
 * letter by e-mail opened at once; each step a signed proof chained to the previous one, that
 * `pli verify-proof` checks and that nothing may change; proofs hidden from other teams and from
 * members who cannot see the letter. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/deliveries.h"
#include "support/letters.h"
#include "support/load.h"
#include "support/maildir.h"
#include "support/stack.h"
#include "support/testdb.h"

#define SUBJECT "Mise en demeure"
#define REFERENCE "DOS-2024-17"
#define LRE_NOTICE_SUBJECT "Une lettre recommandée électronique vous attend"
#define ATTACHMENTS 2
/* Days a notification is moved back to be past its deadline (15 full days from the next). */
#define PAST_DEADLINE_DAYS 17
/* Answers sent at once with the same right code. */
#define RACERS 16

/* A team whose administrator sent a letter to one e-mail recipient. */
struct sent {
    struct lt_user admin;
    char team[LT_ID_MAX];
    char email[160];
    struct dl_letter letter;
    const char *delivery; /* letter.deliveries[0] */
    char token[DL_TOKEN_MAX];
};

/* Waits for the delivery to reach `status` (dl_wait_status). */
static void wait_status(struct sent *s, const char *status)
{
    json_decref(dl_wait_status(&s->admin.c, s->team, s->letter.id, s->delivery, status));
}

/* A new team whose administrator sends a letter of `kind` with `attachments` PDFs to one
 * recipient at `domain`. */
static void send_one(struct sent *s, const char *kind, const char *domain, int attachments)
{
    lt_admin(&s->admin, s->team);
    lt_payment_method(&s->admin.c, s->team);
    dl_unique_email(s->email, sizeof(s->email), "destinataire", domain);
    json_t *recipients = json_pack("[o]", lt_email_recipient("Durand", s->email));
    dl_send(&s->admin.c, s->team, kind, SUBJECT, recipients, attachments, &s->letter);
    s->delivery = s->letter.deliveries[0];
    s->token[0] = '\0';
}

/* The same once the recipient is notified; fills the link token from the e-mail. */
static void notified(struct sent *s, const char *kind, int attachments)
{
    send_one(s, kind, "example.test", attachments);
    wait_status(s, "notified");
    dl_link_token(s->email, s->delivery, s->token);
}

/* A registered e-mail notified to its recipient, who asked for a one-time code: fills code. */
static void code_asked(struct sent *s, char code[DL_CODE_DIGITS + 1])
{
    notified(s, "lre", 0);
    dl_new_code(s->token, s->email, s->delivery, code);
}

/* A registered e-mail the recipient accepted with a one-time code. */
static void accepted(struct sent *s, int attachments)
{
    notified(s, "lre", attachments);
    dl_answer_with_code(s->token, s->email, s->delivery, "accept");
}

/* The recipient's view of the delivery (caller decrefs). */
static json_t *view(const char *token)
{
    struct reply *r = dl_recipient_get(token, "");
    cr_assert_eq(r->status, 200, "view: %ld %s", r->status, r->body);
    json_t *v = json_incref(r->json);
    reply_free(r);
    return v;
}

/* Asserts the delivery's status in the database. */
static void expect_db_status(struct sent *s, const char *status)
{
    char now[32];
    cr_assert_str_eq(dl_db_status(s->delivery, now), status, "the delivery is %s, not %s", now,
                     status);
}

/* Asserts the types of the proofs the letter lists for the delivery (comma-separated, in
 * order). */
static void expect_listed_types(struct sent *s, const char *types)
{
    json_t *proofs = dl_proof_list(&s->admin.c, s->team, s->letter.id, s->delivery);
    dl_expect_proof_types(proofs, types);
    json_decref(proofs);
}

/* Every proof of the delivery as JSON, in chain order (caller decrefs). */
static json_t *proofs_json(struct sent *s)
{
    return dl_proofs_json(&s->admin.c, s->team, s->letter.id, s->delivery);
}

/* The three proofs of a registered e-mail the recipient accepted, as JSON in chain order
 * (caller decrefs). */
static json_t *accepted_proofs(struct sent *s)
{
    accepted(s, 0);
    json_t *proofs = proofs_json(s);
    dl_expect_proof_types(proofs, "deposit,notification,acceptance");
    return proofs;
}

/* A code that differs from `code` in its last digit. */
static void wrong_code(const char *code, char out[DL_CODE_DIGITS + 1])
{
    memcpy(out, code, DL_CODE_DIGITS + 1);
    out[DL_CODE_DIGITS - 1] =
        out[DL_CODE_DIGITS - 1] == '9' ? '0' : (char)(out[DL_CODE_DIGITS - 1] + 1);
}

/* The hex SHA-256 of the letter's validated digest (the bytes its validation signed). */
static void validation_sha256(struct sent *s, char out[65])
{
    struct reply *r = lt_get(&s->admin.c, s->team, s->letter.id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    size_t len;
    unsigned char *bytes =
        lt_base64_decode(lt_str(json_object_get(r->json, "validation"), "signed_payload"), &len);
    lt_sha256_hex(bytes, len, out);
    free(bytes);
    reply_free(r);
}

/* Asserts a problem answer and frees it. */
static void expect_problem(struct reply *r, long status, const char *code)
{
    reply_expect_problem(r, status, code);
    reply_free(r);
}

/* Asserts that accepting and refusing with `code` both answer this problem. */
static void expect_answers_refused(const char *token, const char *code, long status,
                                   const char *problem)
{
    expect_problem(dl_answer(token, "accept", code), status, problem);
    expect_problem(dl_answer(token, "refuse", code), status, problem);
}

/* ---- A registered e-mail, from notice to acceptance ---- */

Test(deliveries_lre, the_notice_and_the_link_hide_the_sender_until_acceptance)
{
    struct sent s;
    notified(&s, "lre", 1);
    char *text = dl_notification_mail(s.email, s.delivery);
    char *raw = maildir_raw_for(s.email);
    cr_assert_not_null(raw);
    char subject[512];
    cr_assert_str_eq(dl_mail_subject(raw, subject, sizeof(subject)), LRE_NOTICE_SUBJECT);
    free(raw);
    const char *hidden[] = {"Camille",         "Martin", s.admin.email,
                            "Cabinet Lettres", SUBJECT,  REFERENCE};
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
        cr_assert_null(strstr(text, hidden[i]), "the notice names \"%s\":\n%s", hidden[i], text);
    cr_assert(strstr(text, "Durand"), "the notice does not greet the recipient:\n%s", text);
    free(text);

    json_t *v = view(s.token);
    cr_assert_str_eq(lt_str(v, "status"), "notified");
    cr_assert_str_eq(lt_str(v, "kind"), "lre");
    cr_assert(lt_str(v, "respond_by")[0], "no respond_by");
    cr_assert(json_is_null(json_object_get(v, "sender")), "sender shown before acceptance");
    cr_assert(json_is_null(json_object_get(v, "subject")), "subject shown before acceptance");
    cr_assert(json_is_null(json_object_get(v, "reference")), "reference shown before acceptance");
    cr_assert(json_is_false(json_object_get(v, "content_available")));
    json_decref(v);
    expect_problem(dl_recipient_get(s.token, "/content"), 403, "content_not_available");
    struct reply *r = lt_get(&s.admin.c, s.team, s.letter.id);
    const char *attachment =
        lt_str(json_array_get(json_object_get(r->json, "attachments"), 0), "id");
    expect_problem(dl_recipient_get(s.token, lt_path("/attachments/%s", attachment)), 403,
                   "content_not_available");
    reply_free(r);
}

Test(deliveries_lre, the_recipient_has_15_full_days_from_the_day_after_the_notice)
{
    struct sent s;
    notified(&s, "lre", 0);
    json_t *v = view(s.token);
    const char *params[] = {s.delivery, lt_str(v, "respond_by")};
    /* Midnight in Paris at the start of the 16th day after the day of the notice. */
    PGresult *r = testdb_exec(
        "SELECT $2::timestamptz = ((((notified_at AT TIME ZONE 'Europe/Paris')::date + 16)"
        "::timestamp) AT TIME ZONE 'Europe/Paris'), "
        "to_char(((notified_at AT TIME ZONE 'Europe/Paris')::date + 15), 'DD/MM/YYYY') "
        "FROM deliveries WHERE id = $1",
        2, params);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), "t", "respond_by %s", params[1]);
    char last_day[64];
    snprintf(last_day, sizeof(last_day), "jusqu'au %s inclus", PQgetvalue(r, 0, 1));
    PQclear(r);
    json_decref(v);
    char *text = dl_notification_mail(s.email, s.delivery);
    cr_assert(strstr(text, last_day), "the notice does not say \"%s\":\n%s", last_day, text);
    free(text);
}

Test(deliveries_lre, acceptance_goes_through_deposit_and_notification)
{
    struct sent s;
    accepted(&s, 0);
    wait_status(&s, "accepted");
    char path[128];
    cr_assert_str_eq(dl_status_path(s.delivery, path, sizeof(path)), "deposited,notified,accepted");
}

Test(deliveries_lre, acceptance_reveals_the_sender_and_the_content)
{
    struct sent s;
    accepted(&s, ATTACHMENTS);
    json_t *v = view(s.token);
    cr_assert_str_eq(lt_str(v, "status"), "accepted");
    cr_assert(json_is_true(json_object_get(v, "content_available")));
    cr_assert_str_eq(lt_str(v, "subject"), SUBJECT);
    cr_assert_str_eq(lt_str(v, "reference"), REFERENCE);
    json_t *sender = json_object_get(v, "sender");
    cr_assert_str_eq(lt_str(sender, "name"), "Camille Martin");
    cr_assert_str_eq(lt_str(sender, "email"), s.admin.email);
    cr_assert_str_eq(lt_str(sender, "team"), "Cabinet Lettres");
    json_decref(v);

    struct reply *r = dl_recipient_get(s.token, "/content");
    cr_assert_eq(r->status, 200, "content: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "subject"), SUBJECT);
    cr_assert(strstr(lt_str(r->json, "body"), "Madame, Monsieur"), "%s", r->body);
    cr_assert_str_eq(lt_str(json_object_get(r->json, "sender"), "email"), s.admin.email);
    json_t *attachments = json_incref(json_object_get(r->json, "attachments"));
    reply_free(r);
    cr_assert_eq(json_array_size(attachments), ATTACHMENTS);
    size_t i;
    json_t *a;
    json_array_foreach (attachments, i, a) {
        char text[64], sha[65];
        snprintf(text, sizeof(text), "Piece jointe %zu", i + 1);
        char *pdf = lt_pdf(text);
        lt_sha256_hex(pdf, strlen(pdf), sha);
        cr_assert_str_eq(lt_str(a, "sha256"), sha, "attachment %zu", i + 1);
        r = dl_recipient_get(s.token, lt_path("/attachments/%s", lt_str(a, "id")));
        cr_assert_eq(r->status, 200, "attachment %zu: %ld %.200s", i + 1, r->status, r->body);
        cr_assert(r->body_len == strlen(pdf) && memcmp(r->body, pdf, r->body_len) == 0,
                  "attachment %zu differs from the upload (%zu bytes)", i + 1, r->body_len);
        reply_free(r);
        free(pdf);
    }
    json_decref(attachments);
}

Test(deliveries_lre, a_second_answer_after_acceptance_is_409_delivery_closed)
{
    struct sent s;
    char code[DL_CODE_DIGITS + 1];
    code_asked(&s, code);
    struct reply *r = dl_answer(s.token, "accept", code);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    reply_free(r);
    expect_answers_refused(s.token, code, 409, "delivery_closed");
    expect_problem(dl_request_code(s.token), 409, "delivery_closed");
    expect_db_status(&s, "accepted");
    expect_listed_types(&s, "deposit,notification,acceptance");
}

Test(deliveries_lre, concurrent_answers_make_exactly_one)
{
    struct sent s;
    char code[DL_CODE_DIGITS + 1], body[64];
    code_asked(&s, code);
    snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
    static char paths[2][256];
    snprintf(paths[0], sizeof(paths[0]), "/api/v1/deliveries/%s/accept", s.token);
    snprintf(paths[1], sizeof(paths[1]), "/api/v1/deliveries/%s/refuse", s.token);
    struct batch_request requests[RACERS];
    struct batch_reply replies[RACERS];
    for (int i = 0; i < RACERS; i++)
        requests[i] = (struct batch_request){"POST", paths[i % 2], body};
    load_batch(requests, replies, RACERS, RACERS, 30);
    int won = -1, closed = 0;
    for (int i = 0; i < RACERS; i++) {
        if (replies[i].status == 200) {
            cr_assert_eq(won, -1, "racers %d and %d both answered", won, i);
            won = i;
        } else if (replies[i].status == 409 &&
                   batch_reply_is_problem(&replies[i], "delivery_closed")) {
            closed++;
        } else {
            cr_assert_fail("racer %d: %ld %s", i, replies[i].status, replies[i].code);
        }
    }
    cr_assert_neq(won, -1, "no answer went through");
    cr_assert_eq(closed, RACERS - 1);
    expect_db_status(&s, won % 2 ? "refused" : "accepted");
    expect_listed_types(&s, won % 2 ? "deposit,notification,refusal"
                                    : "deposit,notification,acceptance");
}

Test(deliveries_lre, refusal_keeps_the_sender_and_the_content_hidden)
{
    struct sent s;
    notified(&s, "lre", ATTACHMENTS);
    dl_answer_with_code(s.token, s.email, s.delivery, "refuse");
    wait_status(&s, "refused");
    json_t *v = view(s.token);
    cr_assert_str_eq(lt_str(v, "status"), "refused");
    cr_assert(json_is_null(json_object_get(v, "sender")), "sender shown after a refusal");
    cr_assert(json_is_null(json_object_get(v, "subject")), "subject shown after a refusal");
    cr_assert(json_is_false(json_object_get(v, "content_available")));
    json_decref(v);
    expect_problem(dl_recipient_get(s.token, "/content"), 403, "content_not_available");

    json_t *proofs = proofs_json(&s);
    dl_expect_proof_types(proofs, "deposit,notification,refusal");
    cr_assert_str_eq(lt_str(json_array_get(proofs, 2), "event"), "RejectionByRecipient");
    dl_expect_chain_intact(proofs);
    json_decref(proofs);
}

/* ---- The proofs of an accepted registered e-mail ---- */

Test(deliveries_proofs, acceptance_leaves_three_signed_chained_proofs)
{
    struct sent s;
    accepted(&s, 0);
    json_t *listed = dl_proof_list(&s.admin.c, s.team, s.letter.id, s.delivery);
    dl_expect_proof_types(listed, "deposit,notification,acceptance");
    json_t *proofs = proofs_json(&s);
    const char *events[] = {"SubmissionAcceptance", "NotificationForAcceptance",
                            "AcceptanceByRecipient"};
    char content_sha[65];
    validation_sha256(&s, content_sha);
    size_t i;
    json_t *p;
    json_array_foreach (proofs, i, p) {
        json_t *item = json_array_get(listed, i);
        cr_assert_str_eq(lt_str(p, "id"), lt_str(item, "id"));
        cr_assert_str_eq(lt_str(p, "sha256"), lt_str(item, "sha256"));
        cr_assert_str_eq(lt_str(p, "event"), events[i]);
        cr_assert_str_eq(lt_str(item, "event"), events[i]);
        cr_assert_str_eq(lt_str(p, "delivery_id"), s.delivery);
        cr_assert_eq(json_integer_value(json_object_get(p, "seq")), (json_int_t)i + 1);
        if (i == 0)
            cr_assert(json_is_null(json_object_get(p, "previous_sha256")),
                      "the first proof names a predecessor");
        else
            cr_assert_str_eq(lt_str(p, "previous_sha256"),
                             lt_str(json_array_get(proofs, i - 1), "sha256"), "proof %zu", i + 1);
        json_t *record = dl_proof_record(p);
        cr_assert_str_eq(lt_str(record, "evidence_id"), lt_str(p, "id"));
        cr_assert_str_eq(lt_str(record, "type"), lt_str(p, "type"));
        cr_assert_str_eq(lt_str(record, "event"), events[i]);
        cr_assert_str_eq(lt_str(record, "letter_id"), s.letter.id);
        cr_assert_str_eq(lt_str(record, "team_id"), s.team);
        cr_assert_str_eq(lt_str(record, "kind"), "lre");
        cr_assert_str_eq(lt_str(record, "content_sha256"), content_sha);
        cr_assert_str_eq(lt_str(json_object_get(record, "recipient"), "email"), s.email);
        json_t *details = json_object_get(record, "details");
        if (i == 1)
            cr_assert_str_eq(lt_str(details, "address"), s.email);
        if (i == 2)
            cr_assert_str_eq(lt_str(details, "identity"), "one_time_code");
        json_decref(record);
    }
    dl_expect_chain_intact(proofs);
    json_decref(proofs);
    json_decref(listed);
}

Test(deliveries_proofs, the_signed_record_is_canonical_and_names_both_parties)
{
    struct sent s;
    json_t *proofs = accepted_proofs(&s);
    json_t *keys = lt_keys();
    size_t i;
    json_t *p;
    json_array_foreach (proofs, i, p) {
        size_t len;
        unsigned char *payload = dl_proof_payload(p, &len);
        json_t *record = dl_proof_record(p);
        char *again = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
        cr_assert(strlen(again) == len && memcmp(again, payload, len) == 0,
                  "proof %zu is not canonical:\n%.*s\n%s", i + 1, (int)len, payload, again);
        free(again);
        free(payload);
        cr_assert_eq(json_integer_value(json_object_get(record, "v")), 1);
        cr_assert_str_eq(lt_str(record, "key_id"), lt_str(p, "key_id"));
        cr_assert_str_eq(lt_str(record, "occurred_at"), lt_str(p, "occurred_at"));
        cr_assert_str_eq(lt_str(record, "issued_at"), lt_str(p, "issued_at"));
        json_t *sender = json_object_get(record, "sender");
        cr_assert_str_eq(lt_str(sender, "name"), "Camille Martin");
        cr_assert_str_eq(lt_str(sender, "email"), s.admin.email);
        cr_assert_str_eq(lt_str(sender, "team"), "Cabinet Lettres");
        cr_assert_str_eq(lt_str(sender, "team_id"), s.team);
        json_t *recipient = json_object_get(record, "recipient");
        cr_assert_str_eq(lt_str(recipient, "last_name"), "Durand");
        cr_assert_str_eq(lt_str(recipient, "email"), s.email);
        int published = 0;
        size_t k;
        json_t *key;
        json_array_foreach (json_object_get(keys, "keys"), k, key) {
            published |= strcmp(lt_str(key, "id"), lt_str(p, "key_id")) == 0;
        }
        cr_assert(published, "key %s is not published", lt_str(p, "key_id"));
        json_decref(record);
    }
    json_decref(keys);
    json_decref(proofs);
}

Test(deliveries_proofs, verify_proof_accepts_them_in_any_order)
{
    struct sent s;
    json_t *proofs = accepted_proofs(&s);
    json_t *shuffled = json_pack("[O, O, O]", json_array_get(proofs, 2), json_array_get(proofs, 0),
                                 json_array_get(proofs, 1));
    dl_expect_chain_intact(shuffled);
    json_decref(shuffled);
    shuffled = json_pack("[O, O, O]", json_array_get(proofs, 1), json_array_get(proofs, 2),
                         json_array_get(proofs, 0));
    dl_expect_chain_intact(shuffled);
    json_decref(shuffled);
    json_decref(proofs);
}

Test(deliveries_proofs, verify_proof_refuses_any_proof_with_a_flipped_byte)
{
    struct sent s;
    json_t *proofs = accepted_proofs(&s);
    for (size_t i = 0; i < 3; i++) {
        json_t *copy = json_deep_copy(proofs);
        size_t len = strlen(lt_str(json_array_get(copy, i), "signed_payload")) * 3 / 4;
        dl_tamper_payload(json_array_get(copy, i), len / 2 + i);
        char out[2048];
        int rc = dl_verify_proofs(copy, out, sizeof(out));
        cr_assert_neq(rc, 0, "proof %zu was tampered with yet verifies:\n%s", i + 1, out);
        cr_assert(strstr(out, "INVALID"), "%s", out);
        json_decref(copy);
    }
    json_decref(proofs);
}

Test(deliveries_proofs, verify_proof_refuses_a_chain_without_its_middle_proof)
{
    struct sent s;
    json_t *proofs = accepted_proofs(&s);
    cr_assert_eq(json_array_remove(proofs, 1), 0);
    char out[2048];
    int rc = dl_verify_proofs(proofs, out, sizeof(out));
    cr_assert_neq(rc, 0, "a chain without its middle proof verifies:\n%s", out);
    cr_assert(strstr(out, "INVALID chain"), "%s", out);
    json_decref(proofs);
}

Test(deliveries_proofs, the_pdf_of_an_acceptance_reads_as_one)
{
    struct sent s;
    accepted(&s, 0);
    json_t *listed = dl_proof_list(&s.admin.c, s.team, s.letter.id, s.delivery);
    json_t *acceptance = json_array_get(listed, 2);
    cr_assert_str_eq(lt_str(acceptance, "type"), "acceptance");
    struct reply *r = dl_proof_pdf(&s.admin.c, s.team, s.letter.id, lt_str(acceptance, "id"));
    cr_assert_eq(r->status, 200, "%ld %.200s", r->status, r->body);
    char *type = reply_header(r, "Content-Type");
    cr_assert(type && strstr(type, "application/pdf"), "Content-Type: %s", type ? type : "none");
    free(type);
    /* Accept: application/json asks for the signed JSON instead. */
    static const char *const json_accept[] = {"Accept: application/json", NULL};
    struct reply *j = client_send(&s.admin.c, "GET",
                                  lt_path("/api/v1/teams/%s/letters/%s/proofs/%s", s.team,
                                          s.letter.id, lt_str(acceptance, "id")),
                                  NULL, json_accept);
    cr_assert_eq(j->status, 200, "%ld %.200s", j->status, j->body);
    cr_assert_str_eq(lt_str(j->json, "sha256"), lt_str(acceptance, "sha256"), "%.200s", j->body);
    reply_free(j);
    cr_assert(r->body_len > 5 && memcmp(r->body, "%PDF-", 5) == 0, "not a PDF: %.20s", r->body);
    char *text = dl_pdf_text(r->body, r->body_len);
    cr_assert(strstr(text, "Preuve d'acceptation") || strstr(text, "Preuve d’acceptation"),
              "no title in:\n%s", text);
    cr_assert(strstr(text, lt_str(acceptance, "sha256")) || strstr(text, s.delivery) ||
                  strstr(text, lt_str(acceptance, "id")),
              "the PDF names neither the proof nor its delivery:\n%s", text);
    free(text);
    reply_free(r);
    json_decref(listed);
}

Test(deliveries_proofs, proofs_are_append_only)
{
    struct sent s;
    notified(&s, "lre", 0);
    json_t *listed = dl_proof_list(&s.admin.c, s.team, s.letter.id, s.delivery);
    const char *proof = lt_str(json_array_get(listed, 0), "id");
    const char *params[] = {proof};
    PGconn *conn = PQconnectdb(getenv("PLI_DATABASE_URL"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "%s", PQerrorMessage(conn));
    PGresult *r = PQexecParams(conn, "UPDATE proofs SET event = 'Forged' WHERE id = $1", 1, NULL,
                               params, NULL, NULL, 0);
    cr_assert_neq(PQresultStatus(r), PGRES_COMMAND_OK, "a proof was modified");
    PQclear(r);
    r = PQexecParams(conn, "DELETE FROM proofs WHERE id = $1", 1, NULL, params, NULL, NULL, 0);
    cr_assert_neq(PQresultStatus(r), PGRES_COMMAND_OK, "a proof was deleted");
    PQclear(r);
    PQfinish(conn);
    cr_assert_eq(testdb_long("SELECT count(*) FROM proofs WHERE id = $1 "
                             "AND event = 'SubmissionAcceptance'",
                             1, params),
                 1);
    json_decref(listed);
}

/* ---- Who may download a proof ---- */

Test(deliveries_proofs, another_teams_proof_is_404)
{
    struct sent s;
    send_one(&s, "lre", "example.test", 0);
    wait_status(&s, "notified");
    json_t *listed = dl_proof_list(&s.admin.c, s.team, s.letter.id, s.delivery);
    const char *proof = lt_str(json_array_get(listed, 0), "id");

    struct lt_user other;
    char other_team[LT_ID_MAX], other_letter[LT_ID_MAX];
    lt_admin(&other, other_team);
    lt_draft(&other.c, other_team, "lre", "Autre", other_letter);
    const char *paths[] = {
        lt_path("/api/v1/teams/%s/letters/%s/proofs/%s?format=json", s.team, s.letter.id, proof),
        lt_path("/api/v1/teams/%s/letters/%s/proofs/%s?format=json", other_team, s.letter.id,
                proof),
        lt_path("/api/v1/teams/%s/letters/%s/proofs/%s?format=json", other_team, other_letter,
                proof),
        lt_path("/api/v1/teams/%s/letters/%s/proofs/%s", other_team, other_letter, proof),
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct reply *r = client_send(&other.c, "GET", paths[i], NULL, NULL);
        cr_assert_eq(r->status, 404, "%s: %ld %.200s", paths[i], r->status, r->body);
        reply_free(r);
    }
    json_decref(listed);
}

Test(deliveries_proofs, a_proof_of_a_letter_the_member_cannot_see_is_404)
{
    struct lt_scene scene;
    lt_scene(&scene);
    char email[160];
    dl_unique_email(email, sizeof(email), "destinataire", "example.test");
    struct dl_letter letter;
    dl_send_to(&scene.admin.c, scene.team, "lre", email, &letter);
    json_decref(
        dl_wait_status(&scene.admin.c, scene.team, letter.id, letter.deliveries[0], "notified"));
    json_t *listed = dl_proof_list(&scene.admin.c, scene.team, letter.id, letter.deliveries[0]);
    const char *proof = lt_str(json_array_get(listed, 0), "id");
    struct reply *r = client_send(
        &scene.member.c, "GET",
        lt_path("/api/v1/teams/%s/letters/%s/proofs/%s?format=json", scene.team, letter.id, proof),
        NULL, NULL);
    expect_problem(r, 404, "not_found");
    r = dl_proof_pdf(&scene.member.c, scene.team, letter.id, proof);
    expect_problem(r, 404, "not_found");
    json_decref(listed);
}

/* ---- One-time codes ---- */

Test(deliveries_codes, an_answer_without_a_code_asked_is_409_identity_code_required)
{
    struct sent s;
    notified(&s, "lre", 0);
    expect_answers_refused(s.token, "123456", 409, "identity_code_required");
    expect_db_status(&s, "notified");
}

Test(deliveries_codes, a_wrong_code_is_422_and_counted)
{
    struct sent s;
    char code[DL_CODE_DIGITS + 1], wrong[DL_CODE_DIGITS + 1];
    code_asked(&s, code);
    wrong_code(code, wrong);
    expect_problem(dl_answer(s.token, "accept", wrong), 422, "identity_code_invalid");
    json_t *v = view(s.token);
    cr_assert_eq(
        json_integer_value(json_object_get(json_object_get(v, "identity_code"), "failed_attempts")),
        1, "failed attempts");
    cr_assert_str_eq(lt_str(v, "status"), "notified");
    json_decref(v);
    /* The right code still works. */
    struct reply *r = dl_answer(s.token, "accept", code);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    reply_free(r);
}

Test(deliveries_codes, five_wrong_codes_make_it_429_too_many_attempts)
{
    struct sent s;
    char code[DL_CODE_DIGITS + 1], wrong[DL_CODE_DIGITS + 1];
    code_asked(&s, code);
    wrong_code(code, wrong);
    for (int i = 0; i < 5; i++)
        expect_problem(dl_answer(s.token, i % 2 ? "refuse" : "accept", wrong), 422,
                       "identity_code_invalid");
    /* Locked: even the right code is refused now. */
    expect_problem(dl_answer(s.token, "accept", code), 429, "too_many_attempts");
    expect_db_status(&s, "notified");
    const char *params[] = {s.delivery};
    cr_assert_eq(testdb_long("SELECT code_attempts FROM deliveries WHERE id = $1", 1, params), 5);
}

Test(deliveries_codes, a_new_code_replaces_the_previous_one)
{
    struct sent s;
    notified(&s, "lre", 0);
    char first[DL_CODE_DIGITS + 1], second[DL_CODE_DIGITS + 1];
    dl_new_code(s.token, s.email, s.delivery, first);
    dl_new_code(s.token, s.email, s.delivery, second);
    if (strcmp(first, second) != 0) /* two codes match once in a million */
        expect_problem(dl_answer(s.token, "accept", first), 422, "identity_code_invalid");
    struct reply *r = dl_answer(s.token, "accept", second);
    cr_assert_eq(r->status, 200, "%ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "accepted", "%s", r->body);
    reply_free(r);
}

Test(deliveries_codes, a_sixth_code_is_429_too_many_codes)
{
    struct sent s;
    notified(&s, "lre", 0);
    for (int i = 0; i < 5; i++) {
        struct reply *r = dl_request_code(s.token);
        cr_assert_eq(r->status, 202, "code %d: %ld %s", i + 1, r->status, r->body);
        cr_assert(lt_str(r->json, "expires_at")[0], "no expires_at: %s", r->body);
        reply_free(r);
    }
    expect_problem(dl_request_code(s.token), 429, "too_many_codes");
    const char *params[] = {s.delivery};
    cr_assert_eq(testdb_long("SELECT code_version FROM deliveries WHERE id = $1", 1, params), 5);
}

Test(deliveries_codes, an_expired_code_is_422_identity_code_expired)
{
    struct sent s;
    char code[DL_CODE_DIGITS + 1];
    code_asked(&s, code);
    const char *params[] = {s.delivery};
    PQclear(testdb_exec("UPDATE deliveries SET code_expires_at = now() - interval '1 minute' "
                        "WHERE id = $1",
                        1, params));
    expect_problem(dl_answer(s.token, "accept", code), 422, "identity_code_expired");
    expect_db_status(&s, "notified");
}

/* ---- Deadlines and bounces ---- */

Test(deliveries_deadlines, an_unanswered_lre_becomes_negligence_at_its_deadline)
{
    struct sent s;
    notified(&s, "lre", 0);
    int lock = stack_lock(DL_DEADLINES_LOCK);
    dl_age_notification(s.delivery, PAST_DEADLINE_DAYS);
    dl_queue_job("delivery_deadlines");
    wait_status(&s, "negligence");
    stack_unlock(lock);

    const char *params[] = {s.delivery};
    PGresult *r = testdb_exec("SELECT rfc3339(delivery_deadline(notified_at)) FROM deliveries "
                              "WHERE id = $1",
                              1, params);
    char deadline[64];
    snprintf(deadline, sizeof(deadline), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    json_t *proofs = proofs_json(&s);
    dl_expect_proof_types(proofs, "deposit,notification,negligence");
    json_t *negligence = json_array_get(proofs, 2);
    cr_assert_str_eq(lt_str(negligence, "event"), "AcceptanceRejectionExpiry");
    cr_assert_str_eq(lt_str(negligence, "occurred_at"), deadline);
    json_t *record = dl_proof_record(negligence);
    cr_assert_str_eq(lt_str(record, "occurred_at"), deadline);
    cr_assert_str_eq(lt_str(json_object_get(record, "details"), "deadline_at"), deadline);
    json_decref(record);
    dl_expect_chain_intact(proofs);
    json_decref(proofs);
    /* Too late to answer now, and the content stays closed. */
    expect_problem(dl_request_code(s.token), 409, "delivery_closed");
    expect_problem(dl_recipient_get(s.token, "/content"), 403, "content_not_available");
}

Test(deliveries_deadlines, an_answer_past_the_deadline_is_410_even_before_the_job_ran)
{
    struct sent s;
    char code[DL_CODE_DIGITS + 1];
    code_asked(&s, code);
    int lock = stack_lock(DL_DEADLINES_LOCK);
    dl_age_notification(s.delivery, PAST_DEADLINE_DAYS);
    struct reply *accept = dl_answer(s.token, "accept", code);
    struct reply *refuse = dl_answer(s.token, "refuse", code);
    struct reply *again = dl_request_code(s.token);
    char status[32];
    dl_db_status(s.delivery, status);
    stack_unlock(lock);
    expect_problem(accept, 410, "delivery_lapsed");
    expect_problem(refuse, 410, "delivery_lapsed");
    expect_problem(again, 410, "delivery_lapsed");
    cr_assert_str_eq(status, "notified");
    expect_listed_types(&s, "deposit,notification");
}

Test(deliveries_bounce, a_refused_address_bounces_with_a_proof)
{
    struct sent s;
    send_one(&s, "lre", "nowhere.invalid", 0);
    wait_status(&s, "bounced");
    json_t *proofs = proofs_json(&s);
    dl_expect_proof_types(proofs, "deposit,bounce");
    json_t *bounce = json_array_get(proofs, 1);
    cr_assert_str_eq(lt_str(bounce, "event"), "NotificationForAcceptanceFailure");
    json_t *record = dl_proof_record(bounce);
    const char *reply = lt_str(json_object_get(record, "details"), "smtp_reply");
    cr_assert(strstr(reply, "550"), "smtp_reply: \"%s\"", reply);
    json_decref(record);
    dl_expect_chain_intact(proofs);
    json_decref(proofs);
    cr_assert_eq(maildir_count_for(s.email, 0, 1), 0, "a bounced address received mail");
}

/* ---- A simple letter by e-mail ---- */

Test(deliveries_simple, the_email_names_the_sender_and_the_link_opens_without_a_code)
{
    struct sent s;
    notified(&s, "simple", ATTACHMENTS);
    char *text = dl_notification_mail(s.email, s.delivery);
    cr_assert(strstr(text, "Camille Martin"), "the e-mail does not name the sender:\n%s", text);
    cr_assert(strstr(text, "Cabinet Lettres"), "the e-mail does not name the team:\n%s", text);
    cr_assert(strstr(text, SUBJECT), "the e-mail does not give the subject:\n%s", text);
    free(text);
    char *raw = maildir_raw_for(s.email);
    cr_assert_not_null(raw);
    char subject[512];
    dl_mail_subject(raw, subject, sizeof(subject));
    cr_assert(strstr(subject, SUBJECT) && strstr(subject, "Cabinet Lettres"), "Subject: %s",
              subject);
    free(raw);

    json_t *v = view(s.token);
    cr_assert_str_eq(lt_str(v, "channel"), "email");
    cr_assert(json_is_true(json_object_get(v, "content_available")));
    cr_assert_str_eq(lt_str(json_object_get(v, "sender"), "name"), "Camille Martin");
    cr_assert_str_eq(lt_str(v, "subject"), SUBJECT);
    json_decref(v);
    struct reply *r = dl_recipient_get(s.token, "/content");
    cr_assert_eq(r->status, 200, "content: %ld %s", r->status, r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "attachments")), ATTACHMENTS);
    reply_free(r);

    json_t *proofs = dl_proof_list(&s.admin.c, s.team, s.letter.id, s.delivery);
    dl_expect_proof_types(proofs, "deposit,notification");
    cr_assert_str_eq(lt_str(json_array_get(proofs, 1), "event"), "ContentConsignment");
    json_decref(proofs);
}

Test(deliveries_simple, accepting_a_simple_letter_is_409_delivery_not_answerable)
{
    struct sent s;
    notified(&s, "simple", 0);
    expect_answers_refused(s.token, "123456", 409, "delivery_not_answerable");
    expect_problem(dl_request_code(s.token), 409, "delivery_not_answerable");
    expect_db_status(&s, "notified");
}

/* ---- Links ---- */

Test(deliveries_links, an_unknown_token_is_404)
{
    const char *token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expect_problem(dl_recipient_get(token, ""), 404, "not_found");
    expect_problem(dl_recipient_get(token, "/content"), 404, "not_found");
    expect_problem(dl_request_code(token), 404, "not_found");
    expect_answers_refused(token, "123456", 404, "not_found");
}

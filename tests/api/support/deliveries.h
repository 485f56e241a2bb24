/* Shared steps of the delivery tests: a letter sent (validated at submission) to given
 * recipients, a delivery awaited until it reaches a status, the recipient's link and one-time
 * codes read from the e-mails they receive, the recipient's API, proofs downloaded as JSON or
 * PDF, `pli verify-proof` run on them, and the clock of a delivery moved back for deadlines.
 * Every name starts with dl_. */
#ifndef PLI_TEST_DELIVERIES_H
#define PLI_TEST_DELIVERIES_H

#include <jansson.h>
#include <stddef.h>

#include "support/client.h"
#include "support/letters.h"

/* Recipients one letter of these tests may have. */
#define DL_RECIPIENTS_MAX 16
/* How long a delivery or an e-mail is awaited (milliseconds). */
#define DL_WAIT_MS 20000
/* Room for a recipient link token. */
#define DL_TOKEN_MAX 128
/* Digits of a one-time code. */
#define DL_CODE_DIGITS 6

/* A sent letter: its id and its deliveries' ids, in the order of its recipients. */
struct dl_letter {
    char id[LT_ID_MAX];
    int count;
    char deliveries[DL_RECIPIENTS_MAX][LT_ID_MAX];
};

/* Creates a letter of `kind` with `subject`, the contacts of `recipients` (a JSON array, stolen)
 * and `attachments` PDFs (attachment i, from 1, is lt_pdf("Piece jointe i")), then submits it
 * as `sender`, who must hold letters.validate: the password is confirmed first, so the
 * submission validates the letter at once (status sending, one delivery per recipient).
 * Fills out. */
void dl_send(struct client *sender, const char *team, const char *kind, const char *subject,
             json_t *recipients, int attachments, struct dl_letter *out);
/* The same to one individual with this e-mail address, subject "Mise en demeure", no
 * attachment. */
void dl_send_to(struct client *sender, const char *team, const char *kind, const char *email,
                struct dl_letter *out);
/* A fresh address nobody else uses at `domain` (e.g. "example.test", "nowhere.invalid"). */
void dl_unique_email(char *out, size_t size, const char *prefix, const char *domain);

/* The delivery with this id in a letter as GET .../letters/{letter} answers it (borrowed), or
 * NULL. */
json_t *dl_delivery_of(const json_t *letter, const char *delivery);
/* The delivery with this id as GET .../letters/{letter} shows it (caller decrefs), or NULL. */
json_t *dl_delivery(struct client *c, const char *team, const char *letter, const char *delivery);
/* Polls GET .../letters/{letter} every 100 ms for up to DL_WAIT_MS until the delivery has
 * `status`; returns it (caller decrefs), or fails the test with the last status seen. */
json_t *dl_wait_status(struct client *c, const char *team, const char *letter, const char *delivery,
                       const char *status);
/* The status of a delivery straight from the database, into out. */
const char *dl_db_status(const char *delivery, char out[32]);
/* The statuses the delivery went through after pending, from the events recorded and applied
 * (e.g. "deposited,notified,accepted"), into out. */
const char *dl_status_path(const char *delivery, char *out, size_t size);

/* Waits for the notification e-mail of a delivery sent to `email` (its Message-ID names the
 * delivery) and returns its decoded text, headers included (to free); fails when none comes. */
char *dl_notification_mail(const char *email, const char *delivery);
/* The Subject header of a decoded message, RFC 2047 encoded words undone, into out. */
const char *dl_mail_subject(const char *message, char *out, size_t size);
/* Reads the recipient's link token from the notification e-mail (the link is
 * $PLI_PUBLIC_URL/deliveries/<token>); fills token. */
void dl_link_token(const char *email, const char *delivery, char token[DL_TOKEN_MAX]);
/* Waits for the e-mail of the one-time code of this version (1 for the first asked) and
 * copies the code. */
void dl_code_from_mail(const char *email, const char *delivery, int version,
                       char code[DL_CODE_DIGITS + 1]);
/* Asks for a one-time code (asserts 202) and returns it from the e-mail that follows. */
void dl_new_code(const char *token, const char *email, const char *delivery,
                 char code[DL_CODE_DIGITS + 1]);

/* GET /api/v1/deliveries/{token}<suffix> without any session (suffix "", "/content",
 * "/attachments/{id}"...). */
struct reply *dl_recipient_get(const char *token, const char *suffix);
/* POST /api/v1/deliveries/{token}/code without any session. */
struct reply *dl_request_code(const char *token);
/* POST /api/v1/deliveries/{token}/<action> ("accept" or "refuse") with {"code": code}. */
struct reply *dl_answer(const char *token, const char *action, const char *code);
/* Asks for a code, reads it and answers with it: asserts 200 and the status it leads to. */
void dl_answer_with_code(const char *token, const char *email, const char *delivery,
                         const char *action);

/* The proof ids of a delivery as its letter lists them, in order (a JSON array of the
 * {id, type, event, at, sha256} objects; caller decrefs). */
json_t *dl_proof_list(struct client *c, const char *team, const char *letter, const char *delivery);
/* GET .../letters/{letter}/proofs/{proof}?format=json; asserts 200 (caller decrefs). */
json_t *dl_proof_json(struct client *c, const char *team, const char *letter, const char *proof);
/* Every proof of a delivery as JSON, in chain order (a JSON array; caller decrefs). */
json_t *dl_proofs_json(struct client *c, const char *team, const char *letter,
                       const char *delivery);
/* GET .../letters/{letter}/proofs/{proof} as the PDF it answers by default, once pli-jobs has
 * made it (caller frees). */
struct reply *dl_proof_pdf(struct client *c, const char *team, const char *letter,
                           const char *proof);
/* The signed bytes of a JSON proof (its signed_payload decoded; to free) and their length. */
unsigned char *dl_proof_payload(const json_t *proof, size_t *len);
/* The decoded signed payload of a JSON proof, parsed (caller decrefs). */
json_t *dl_proof_record(const json_t *proof);
/* Flips one bit of the byte at `offset` (modulo its length) of the proof's decoded
 * signed_payload and stores it back in base64, in place. */
void dl_tamper_payload(json_t *proof, size_t offset);
/* Saves the published keys and each proof of `proofs` (a JSON array) to temporary files, runs
 * `$PLI_TEST_BUILD_DIR/pli verify-proof --keys KEYS.json P1.json...`, removes the files and
 * returns its exit status (-1 when it did not exit); its output goes to out. */
int dl_verify_proofs(const json_t *proofs, char *out, size_t size);
/* Asserts that a list of proofs (summaries or whole proofs) has these types, a comma-separated
 * list (e.g. "deposit,notification"), in this order. */
void dl_expect_proof_types(const json_t *proofs, const char *types);
/* Asserts that `pli verify-proof` accepts every proof of `proofs` (a whole chain, from the first
 * proof) and says their chain is intact. */
void dl_expect_chain_intact(const json_t *proofs);
/* The same for every proof of a delivery, downloaded as JSON. */
void dl_expect_delivery_verifies(struct client *c, const char *team, const char *letter,
                                 const char *delivery);
/* The text pdftotext extracts from a PDF (to free). */
char *dl_pdf_text(const void *pdf, size_t len);

/* Moves a delivery's notification (notified_at) `days` back in time. */
void dl_age_notification(const char *delivery, int days);
/* Queues a job of this kind now, as pli-jobs's own schedule would (a new de-duplication key). */
void dl_queue_job(const char *kind);
/* The stack_lock held by a test that lets a delivery lapse and answers it before the deadlines
 * job runs, and by one that queues that job until its delivery has moved: they never overlap. */
#define DL_DEADLINES_LOCK "deliveries-deadlines"

#endif

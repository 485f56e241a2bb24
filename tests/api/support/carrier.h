/* The postal carrier seen from tests: lrar letters sent to postal recipients and followed to
 * their outcome, callbacks signed per Standard Webhooks with the deployment's secret and posted
 * to /api/v1/webhooks/carriers/{carrier}, the sandbox carrier's own list of letters, and proofs
 * downloaded as JSON and checked with `pli verify-proof`. Every name starts with ca_. */
#ifndef PLI_TEST_CARRIER_H
#define PLI_TEST_CARRIER_H

#include <jansson.h>
#include <stddef.h>

#include "support/client.h"
#include "support/letters.h"

/* Most postal recipients of one test letter. */
#define CA_RECIPIENTS_MAX 4
/* How long a delivery may take to reach a status (the sandbox needs about 3 s). */
#define CA_WAIT_MS 20000
/* "v1," and the base64 of a 32-byte HMAC, with the NUL. */
#define CA_SIGNATURE_MAX 48
/* A Unix time in decimal, with the NUL. */
#define CA_TIMESTAMP_MAX 24

/* Address lines the sandbox carrier reads: delivered, returned (NPAI), never reported on. */
#define CA_LINE_DELIVERED "12 rue de la Paix"
#define CA_LINE_RETURNED "3 rue des Lilas NPAI"
#define CA_LINE_UNTRACKED "5 rue Haute SANS SUIVI"

/* A team that sent one lrar letter, and the letter's deliveries in recipient order. */
struct ca_letter {
    struct lt_user admin;
    char team[LT_ID_MAX];
    char letter[LT_ID_MAX];
    int n;
    char delivery[CA_RECIPIENTS_MAX][LT_ID_MAX];
};

/* A new team (administrator, payment method) sends an lrar letter to n postal recipients whose
 * first address lines are line1s[0..n); the administrator holds letters.validate, so after a
 * step-up the letter goes straight to sending. Fills l. */
void ca_send_lrar(struct ca_letter *l, int n, const char *const *line1s);
/* The delivery of the letter JSON with this id (borrowed), or NULL. */
json_t *ca_delivery_of(const json_t *letter, const char *delivery_id);
/* Polls GET .../letters/{letter} until the delivery has this status (CA_WAIT_MS at most);
 * returns the letter as last read (caller decrefs). Fails the test on timeout. */
json_t *ca_wait_status(struct ca_letter *l, const char *delivery_id, const char *status);
/* GET .../proofs/{proof}?format=json; asserts 200 and returns the JSON (caller decrefs). */
json_t *ca_proof(struct ca_letter *l, const char *proof_id);
/* The signed record of a downloaded proof, parsed from its signed_payload (caller decrefs). */
json_t *ca_signed_record(const json_t *proof);
/* Downloads every proof of the delivery as JSON and runs `pli verify-proof --keys` on them all
 * (keys from GET /api/v1/keys); copies its whole output into out and returns its exit status. */
int ca_verify_proofs(struct ca_letter *l, const json_t *delivery, char *out, size_t out_size);

/* The sandbox carrier's letters whose reference is this delivery id, as
 * GET $PLI_CARRIER_URL/letters?reference= lists them (caller decrefs the array). */
json_t *ca_sandbox_letters(const char *reference);
/* POST $PLI_CARRIER_URL/letters with this Idempotency-Key and JSON body, as pli's job does;
 * returns the HTTP status and copies the answer's "error" (or "") into error. */
long ca_sandbox_post(const char *idempotency_key, const char *body, char *error, size_t error_size);

/* A fresh webhook id ("msg_" and 32 hex digits). */
void ca_webhook_id(char out[LT_ID_MAX]);
/* A random version-4 UUID. */
void ca_uuid(char out[LT_ID_MAX]);
/* Now plus offset seconds, as a webhook-timestamp. */
void ca_timestamp(long offset, char out[CA_TIMESTAMP_MAX]);
/* Now plus offset seconds in RFC 3339 (UTC, whole seconds). */
void ca_rfc3339(long offset, char out[32]);
/* "v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>" with the key of
 * PLI_CARRIER_WEBHOOK_SECRET ("whsec_" and base64). */
void ca_sign(const char *id, const char *timestamp, const void *body, size_t len,
             char out[CA_SIGNATURE_MAX]);
/* A carrier event body (compact JSON, malloc'd): type, delivery_id, occurred_at now, the
 * carrier_reference when not NULL, and proof (borrowed) when not NULL. */
char *ca_event(const char *type, const char *delivery_id, const char *carrier_reference,
               const json_t *proof);
/* An inline proof {type, sha256, content_base64} of len bytes; fills its hex SHA-256
 * (sha256 may be NULL). Caller decrefs. */
json_t *ca_inline_proof(const char *type, const void *data, size_t len, char sha256[65]);
/* POSTs body (len bytes) to /api/v1/webhooks/carriers/{carrier} as a carrier does (no Origin,
 * no session) with these webhook-id, webhook-timestamp and webhook-signature headers; a NULL
 * header is left out. */
struct reply *ca_post(const char *carrier, const char *id, const char *timestamp,
                      const char *signature, const void *body, size_t len);
/* POSTs body to the sandbox carrier's callback, signed now under id. */
struct reply *ca_post_signed(const char *id, const char *body);

/* How many callbacks pli stored under this webhook id (carrier_webhooks). */
long ca_webhook_rows(const char *webhook_id);
/* Waits (CA_WAIT_MS at most) for the event the callback webhook_id carried to be recorded
 * against its delivery; returns whether it was applied (1) or only recorded (0). Fails the
 * test on timeout or when it was recorded more than once. */
int ca_wait_event(const char *webhook_id);
/* The carrier's proof document kept under this SHA-256 (blobs), malloc'd with its length in
 * *len; NULL when there is none. */
unsigned char *ca_blob(const char *sha256, size_t *len);

#endif

/* The postal carrier seen from tests: lrar letters sent to postal recipients, callbacks signed
 * per Standard Webhooks with the deployment's secret and posted to
 * /api/v1/webhooks/carriers/{carrier}, what pli stored of them, and the sandbox carrier's own
 * list of letters. Waiting for a delivery and checking its proofs is support/deliveries.h's.
 * Every name starts with ca_. */
#ifndef PLI_TEST_CARRIER_H
#define PLI_TEST_CARRIER_H

#include <jansson.h>
#include <stddef.h>

#include "support/client.h"
#include "support/deliveries.h"
#include "support/letters.h"

/* "v1," and the base64 of a 32-byte HMAC, with the NUL. */
#define CA_SIGNATURE_MAX 48
/* A Unix time in decimal, with the NUL. */
#define CA_TIMESTAMP_MAX 24

/* Address lines the sandbox carrier reads: delivered, returned (NPAI), never reported on. */
#define CA_LINE_DELIVERED "12 rue de la Paix"
#define CA_LINE_RETURNED "3 rue des Lilas NPAI"
#define CA_LINE_UNTRACKED "5 rue Haute SANS SUIVI"

/* A team that sent one lrar letter: its administrator, and the letter with its deliveries in
 * recipient order. */
struct ca_letter {
    struct lt_user admin;
    char team[LT_ID_MAX];
    struct dl_letter letter;
};

/* A new team (administrator, payment method) sends an lrar letter to n postal recipients whose
 * first address lines are line1s[0..n) (dl_send: validated at submission); asserts that every
 * delivery goes by post. Fills l. */
void ca_send_lrar(struct ca_letter *l, int n, const char *const *line1s);
/* dl_wait_status for delivery i of the letter, as its administrator sees it (caller decrefs). */
json_t *ca_wait_status(struct ca_letter *l, int i, const char *status);

/* The sandbox carrier's letters whose reference is this delivery id, as
 * GET $PLI_CARRIER_URL/letters?reference= lists them (caller decrefs the array). */
json_t *ca_sandbox_letters(const char *reference);
/* Asserts the sandbox holds exactly one letter for the delivery, under its id as reference;
 * copies the letter's id into carrier_id (when not NULL). */
void ca_expect_one_sandbox_letter(const char *delivery_id, char carrier_id[LT_ID_MAX]);
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

/* The three Standard Webhooks headers of one callback. */
struct ca_webhook {
    char id[LT_ID_MAX];
    char timestamp[CA_TIMESTAMP_MAX];
    char signature[CA_SIGNATURE_MAX];
};
/* Signs body under a fresh webhook id with a timestamp `offset` seconds from now; fills w. */
void ca_webhook_sign(struct ca_webhook *w, long offset, const char *body);

/* A carrier event body (compact JSON, malloc'd): type, delivery_id, occurred_at now, and proof
 * (borrowed) when not NULL. */
char *ca_event(const char *type, const char *delivery_id, const json_t *proof);
/* The same event with one member set to value (stolen), or added when the event has none. */
char *ca_event_with(const char *type, const char *delivery_id, const json_t *proof,
                    const char *field, json_t *value);
/* An inline proof {type, sha256, content_base64} of len bytes; fills its hex SHA-256
 * (sha256 may be NULL). Caller decrefs. */
json_t *ca_inline_proof(const char *type, const void *data, size_t len, char sha256[65]);

/* POSTs body (len bytes) to /api/v1/webhooks/carriers/{carrier} as a carrier does (no Origin,
 * no session) with these webhook-id, webhook-timestamp and webhook-signature headers; a NULL
 * header is left out. */
struct reply *ca_post(const char *carrier, const char *id, const char *timestamp,
                      const char *signature, const void *body, size_t len);
/* POSTs body to the callback of `carrier` with the headers of w. */
struct reply *ca_post_webhook(const char *carrier, const struct ca_webhook *w, const char *body);
/* POSTs body to the sandbox carrier's callback, signed now under id. */
struct reply *ca_post_signed(const char *id, const char *body);
/* Asserts a callback was answered 200 with this status ("accepted" when taken as new,
 * "duplicate" when its webhook id was seen before); frees r. */
void ca_expect_answer(struct reply *r, const char *status);
/* POSTs body to the sandbox carrier's callback, signed now under a fresh webhook id that it
 * copies into id, and asserts it was accepted as new. */
void ca_post_accepted(const char *body, char id[LT_ID_MAX]);

/* How many callbacks pli stored under this webhook id (carrier_webhooks). */
long ca_webhook_rows(const char *webhook_id);
/* Waits (DL_WAIT_MS at most) for the event the callback webhook_id carried to be recorded
 * against its delivery; returns whether it was applied (1) or only recorded (0). Fails the
 * test on timeout or when it was recorded more than once. */
int ca_wait_event(const char *webhook_id);
/* The carrier's proof document kept under this SHA-256 (blobs), malloc'd with its length in
 * *len; NULL when there is none. */
unsigned char *ca_blob(const char *sha256, size_t *len);

#endif

/* Delivery proofs: the canonical, signed evidence record written for each delivery transition.
 *
 * A record is a JSON object serialised like the letter digest (compact, keys sorted, non-ASCII
 * escaped as \uXXXX); those exact bytes are signed with the deployment's Ed25519 key. Keys:
 *   v                 1
 *   evidence_id       the proof's id (uuid)
 *   type              deposit | notification | acceptance | refusal | negligence | bounce |
 *                     delivery | return | failure
 *   event             its ETSI EN 319 522 event name (proof_event_name)
 *   seq               1 for the first proof of the delivery, then 2, 3...
 *   previous_sha256   hex SHA-256 of the previous proof's signed bytes, null for seq 1
 *   occurred_at       when the event happened (RFC 3339, UTC, microseconds)
 *   issued_at         when the record was signed
 *   key_id            id of the signing key (see GET /api/v1/keys)
 *   letter_id, delivery_id, team_id, kind (lre | lrar | simple)
 *   content_sha256    hex SHA-256 of the letter's validated digest (its signed bytes), which
 *                     itself binds the body's and every attachment's SHA-256
 *   sender            {team, team_id, name, email}
 *   recipient         {first_name, last_name, company, email, status, address|null}
 *                     address = {line1, line2, postal_code, city, country}
 *   details           an object whose keys depend on the type, among: channel, address,
 *                     deadline_at, identity, smtp_reply, carrier, carrier_reference,
 *                     carrier_event_id, carrier_proof_sha256, reason */
#ifndef PLI_PROOF_RECORD_H
#define PLI_PROOF_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/delivery_state.h"

#define PROOF_RECORD_VERSION 1
#define PROOF_ID_CHARS 36

/* What a new record says besides its context (letter, sender, recipient, content hash). */
struct proof_fields {
    enum proof_type type;
    enum delivery_channel channel;
    const char *evidence_id;
    int seq;
    const char *previous_sha256; /* NULL for the first proof */
    const char *occurred_at;
    const char *issued_at;
    const char *key_id;
    const json_t *details; /* an object, copied */
};

/* Builds the record from the context object (letter_id, delivery_id, team_id, kind,
 * content_sha256, sender, recipient, copied) and the fields; NULL when out of memory. */
json_t *proof_record_new(const json_t *context, const struct proof_fields *fields);
/* Writes a fresh random (version 4) UUID for a new proof's id. */
void proof_record_new_id(char out[PROOF_ID_CHARS + 1]);
/* Checks that records form one unbroken stretch of a chain: same delivery, consecutive seq in
 * order, each naming the SHA-256 of the previous one's signed bytes, and proof #1 (when given)
 * naming none. The whole chain is checked when the stretch starts at #1. payloads[i] (lens[i]
 * bytes) are the signed bytes of records[i]. False with a reason. */
bool proof_record_check_chain(const json_t *const *records, const char *const *payloads,
                              const size_t *lens, size_t n, char *why, size_t why_size);

#endif

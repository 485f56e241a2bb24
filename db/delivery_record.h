/* Recording delivery events: the one place where a delivery changes status, each change with
 * exactly one signed proof appended to its chain, in the caller's transaction. Used by the API
 * (the recipient's answer) and by pli-jobs (dispatch, carrier callbacks, deadlines). */
#ifndef PLI_DELIVERY_RECORD_H
#define PLI_DELIVERY_RECORD_H

#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"
#include "lib/crypto.h"
#include "lib/delivery_state.h"
#include "lib/proof_record.h"

struct delivery_event {
    const char *delivery_id;
    enum delivery_status target; /* the status the event leads to */
    const char *source;          /* dispatch | recipient | carrier | deadline */
    const char *occurred_at;     /* RFC 3339; NULL: the transaction's time */
    const json_t *details;       /* an object for the proof and the event log, or NULL */
};

struct delivery_outcome {
    bool found;                  /* false: no such delivery */
    bool applied;                /* false: recorded only (late, repeated or out of turn) */
    enum delivery_status status; /* the delivery's status afterwards */
    enum delivery_channel channel;
    char proof_id[PROOF_ID_CHARS + 1]; /* the proof issued, when applied */
};

/* Locks the delivery, records the event and, when the state machine allows it, moves the
 * delivery and appends a proof signed with key; the deposit also writes the delivery's charge.
 * Events that were waiting for this step are then applied in turn. Must run inside a
 * transaction. */
enum db_status delivery_record(struct db *db, const struct signing_key *key,
                               const struct delivery_event *event, struct delivery_outcome *out);

#endif

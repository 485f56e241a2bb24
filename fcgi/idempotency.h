/* Idempotency-Key on the POSTs that send or charge: the same key with the same body replays the
 * stored answer, with another body it is refused (422), and while the first request runs a
 * second one gets 409. The key is taken and the answer stored inside the caller's transaction,
 * so an answer exists exactly when the work was committed. Keys live a day at least. */
#ifndef PLI_IDEMPOTENCY_H
#define PLI_IDEMPOTENCY_H

#include <stdbool.h>

#include "fcgi/ctx.h"

#define IDEMPOTENCY_KEY_MAX 255

enum idempotency_outcome {
    IDEMPOTENCY_NEW,     /* no key, or a key seen for the first time: do the work */
    IDEMPOTENCY_REPLAY,  /* the stored answer is in ctx->resp */
    IDEMPOTENCY_REFUSED, /* the problem is in ctx->resp */
    IDEMPOTENCY__MAX
};

struct idempotency {
    const char *key; /* NULL when the request has none */
    char request_hash[65];
};

/* Reads the Idempotency-Key header; false (with a 422) when it is malformed. */
bool idempotency_begin(struct ctx *ctx, struct idempotency *idem);
/* Inside the transaction: takes the key and looks for a stored answer. */
enum db_status idempotency_claim(struct ctx *ctx, struct db *db, const struct idempotency *idem,
                                 enum idempotency_outcome *outcome);
/* Inside the transaction, after the work: stores the answer that is about to be sent. */
enum db_status idempotency_store(struct ctx *ctx, struct db *db, const struct idempotency *idem,
                                 int status, const char *body);

#endif

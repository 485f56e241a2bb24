/* webhook_deliver: posts one webhook message to its endpoint, signed per Standard Webhooks v1,
 * and logs the attempt; retries on PLI_WEBHOOK_RETRY_SCHEDULE. */
#ifndef PLI_JOB_WEBHOOK_DELIVER_H
#define PLI_JOB_WEBHOOK_DELIVER_H

#include "jobs/job_queue.h"

/* Delivers the payload's message (message_id) unless it is no longer pending: a fresh
 * webhook-timestamp and signature on each attempt, the same webhook-id and body. A 2xx answer
 * delivers it; 410 Gone disables the endpoint; anything else (another status, a redirect, no
 * answer, an address that is not public) is retried after the schedule's next delay, and the
 * message fails after the last. */
enum job_result job_webhook_deliver(struct db *db, const struct job_env *env, struct job *job);

#endif

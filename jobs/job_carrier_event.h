/* carrier_event: applies a carrier callback stored by the webhook endpoint. */
#ifndef PLI_JOB_CARRIER_EVENT_H
#define PLI_JOB_CARRIER_EVENT_H

#include "jobs/job_queue.h"

/* Keeps the carrier's own proof (inline or fetched from its https URL, checked against its
 * SHA-256) and records the event on the delivery, which issues our proof when it applies. */
enum job_result job_carrier_event(struct db *db, const struct job_env *env, struct job *job);

#endif

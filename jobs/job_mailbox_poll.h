/* POP3 ingestion: each message archived raw before anything else (committed), once per unique
 * id, then read with GMime (a reading cut short is finished by the next poll), classified (sent
 * from the primary address, else inbox) and filed to a matter where a rule finds one; deleted
 * from the server only after its archive committed, when the mailbox does not leave messages
 * there. */
#ifndef PLI_JOB_MAILBOX_POLL_H
#define PLI_JOB_MAILBOX_POLL_H

#include "jobs/job_queue.h"

/* Polls the mailbox of payload {mailbox_id} (one poll per mailbox at a time, PLI_POP3_BATCH
 * messages per run, the rest in a run queued right after). */
enum job_result job_mailbox_poll(struct db *db, const struct job_env *env, struct job *job);
/* Queues a poll of every active mailbox whose last poll is PLI_POP3_POLL_SECONDS old. */
enum job_result job_poll_mailboxes(struct db *db, const struct job_env *env, struct job *job);

#endif
